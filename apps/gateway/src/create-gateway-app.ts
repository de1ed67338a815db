import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { type DynamicModule, type LogLevel, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Tree } from '#orchestration';
import { AppModule } from './app.module.js';
import type { GatewayConfig, LogLevelName } from './config/gateway-config.js';
import { ApiExceptionFilter } from './errors/api-exception.filter.js';
import { frameworkErrors } from './errors/framework-errors.js';
import { validationErrorToApiError } from './errors/validation-errors.js';
import { setupOpenApi } from './docs/openapi.js';
import { createLogger } from './logging/create-logger.js';
import { loggingModule } from './logging/logging.module.js';
import { registerRequestLogging } from './logging/request-log-fields.js';
import { rememberValidationMetadata } from './common/validation-metadata.js';
import { MetricsService, registerHttpMetrics } from './metrics/index.js';
import { registerServerTiming } from './common/server-timing.js';
import { registerSecurityHeaders } from './security/security-headers.js';
import { SecurityModule } from './security/security.module.js';
import { registerGracefulShutdown } from './shutdown/index.js';

/** Largest request body accepted (a payment is well under 8 KiB). */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface CreateGatewayAppOptions {
  config: GatewayConfig;
  tree: Tree;
  /** Overrides `config.logLevel` with Nest's level list (the most verbose level given wins). */
  logger?: LogLevel[] | false;
}

@Module({})
class GatewayRootModule {}

/** Builds the root gateway (not listening yet): the same wiring for `npm start` and the e2e tests. */
export async function createGatewayApp({ config, tree, logger }: CreateGatewayAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => `req_${randomUUID().replaceAll('-', '')}`,
    requestIdHeader: false,
    // Requests arriving while the app shuts down get the API's error shape (graceful-shutdown.ts).
    return503OnClosing: false,
    frameworkErrors,
  });
  const pino = createLogger({ level: logger === undefined ? config.logLevel : pinoLevel(logger), secrets: [config.adminToken] });
  const root: DynamicModule = {
    module: GatewayRootModule,
    imports: [
      AppModule.forRoot({ config, tree }),
      loggingModule(pino),
      SecurityModule.forRoot(config),
    ],
  };
  // rawBody: provider notifications are verified over the bytes as received.
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { bufferLogs: true, rawBody: true });
  app.useLogger(app.get(Logger));
  registerSecurityHeaders(app);
  registerGracefulShutdown(app);
  registerHttpMetrics(app);
  registerServerTiming(app, app.get(MetricsService).observePaymentTiming);
  registerRequestLogging(app, pino);
  setupOpenApi(app);
  app.useGlobalFilters(new ApiExceptionFilter());
  rememberValidationMetadata();
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // The failing objects stay on the errors (never answered): a string-form field's errors name the field (validation-errors.ts).
      validationError: { target: true, value: false },
      exceptionFactory: validationErrorToApiError,
    }),
  );
  app.getHttpAdapter().getInstance().addHook('onSend', (request, reply, payload, done) => {
    void reply.header('request-id', String(request.id));
    done(null, payload);
  });
  app.enableShutdownHooks();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function pinoLevel(levels: LogLevel[] | false): LogLevelName {
  if (levels === false || levels.length === 0) return 'silent';
  const order: [LogLevel, LogLevelName][] = [
    ['verbose', 'trace'],
    ['debug', 'debug'],
    ['log', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
    ['fatal', 'fatal'],
  ];
  return order.find(([nest]) => levels.includes(nest))?.[1] ?? 'info';
}
