#!/usr/bin/env node
// The framework floor: the floor's payment (floor/payment-writes.mjs: the same statements, commits
// and answer) served by NestJS on Fastify, as the gateway is served: one controller, `@Body()` and
// `@Headers()` parameters, the answer returned from the handler. Nothing else: no guards, pipes,
// hooks, logging, ORM or validation. Its distance to the floor is what Nest + Fastify cost per
// request on this machine; the gateway's distance to it is the gateway's own code. Prints
// `nest floor listening on http://127.0.0.1:<port> key=<api key>` (the line startNestFloor waits for).
import 'reflect-metadata';
import { Body, Controller, Headers, HttpException, Module, Post, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { driverFromEnv } from './floor/drivers.mjs';
import { FloorError, createPayment, seedMerchant } from './floor/payment-writes.mjs';

const port = Number(process.env.PORT ?? 3101);
const db = await driverFromEnv();
const { apiKey } = await seedMerchant(db);

// Plain JavaScript has no decorator syntax: the decorators are applied as TypeScript emits them.
class PaymentsController {
  async create(body, headers, reply) {
    try {
      const result = await createPayment(db, { authorization: headers.authorization, idempotencyKey: headers['idempotency-key'], body });
      reply.status(result.status).header('content-type', 'application/json; charset=utf-8');
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return result.body;
    } catch (error) {
      if (error instanceof FloorError) throw new HttpException({ error: { code: error.code, message: error.message } }, error.status);
      throw error;
    }
  }
}
const create = Object.getOwnPropertyDescriptor(PaymentsController.prototype, 'create');
Body()(PaymentsController.prototype, 'create', 0);
Headers()(PaymentsController.prototype, 'create', 1);
Res({ passthrough: true })(PaymentsController.prototype, 'create', 2);
Post('payments')(PaymentsController.prototype, 'create', create);
Controller('v1')(PaymentsController);

class FloorModule {}
Module({ controllers: [PaymentsController] })(FloorModule);

const app = await NestFactory.create(FloorModule, new FastifyAdapter(), { logger: ['error'] });
app.enableShutdownHooks();
await app.listen(port, '127.0.0.1');
console.log(`nest floor listening on http://127.0.0.1:${app.getHttpServer().address().port} key=${apiKey}`);

const shutdown = () => void app.close().finally(() => db.close().finally(() => process.exit(0)));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
