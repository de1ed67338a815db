import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { type LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Tree } from '#orchestration';
import { AppModule } from './app.module.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { ApiExceptionFilter } from './errors/api-exception.filter.js';
import { validationErrorToApiError } from './errors/validation-errors.js';

/** Largest request body accepted (a payment is well under 8 KiB). */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface CreateGatewayAppOptions {
  config: GatewayConfig;
  tree: Tree;
  logger?: LogLevel[] | false;
}

/** Builds the root gateway (not listening yet): the same wiring for `npm start` and the e2e tests. */
export async function createGatewayApp({ config, tree, logger }: CreateGatewayAppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => `req_${randomUUID().replaceAll('-', '')}`,
    requestIdHeader: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, tree }), adapter, {
    logger: logger ?? ['log', 'warn', 'error'],
  });
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationErrorToApiError,
    }),
  );
  app.getHttpAdapter().getInstance().addHook('onSend', async (request, reply) => {
    void reply.header('request-id', String(request.id));
  });
  app.enableShutdownHooks();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
