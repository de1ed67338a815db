import type { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { LoggerModule } from 'nestjs-pino';

/**
 * nestjs-pino over the gateway's one pino logger, for Nest's own logs and every `Logger` of the
 * app. Its per-request middleware (pino-http: a child logger per request and per assigned field)
 * is not mounted: request lines come from Fastify's hooks (request-log-fields.ts).
 */
export function loggingModule(logger: Logger): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] });
}
