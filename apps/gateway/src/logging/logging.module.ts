import { type DynamicModule, RequestMethod } from '@nestjs/common';
import type { Logger } from 'pino';
import { LoggerModule } from 'nestjs-pino';
import { scrubRequest } from './log-redaction.js';

/**
 * nestjs-pino over the gateway's one pino logger: Nest's logs and a line per request (with its
 * `reqId`, the request's headers redacted by the logger itself).
 */
export function loggingModule(logger: Logger): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      logger,
      quietReqLogger: true,
      serializers: {
        // A URL can carry what a caller should never have put there (a key, a card number in a query).
        req: scrubRequest,
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    // Fields assigned during a request (request-log-fields.ts) also reach the line that closes it.
    assignResponse: true,
    // nestjs-pino's default route pattern does not match on this Nest/Fastify version.
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
  });
}
