import { performance } from 'node:perf_hooks';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { onRequestHookHandler, onSendHookHandler, RouteOptions } from 'fastify';

/** The payment operations whose answers carry a `Server-Timing` header (the `operation` label of the metrics). */
export type TimedOperation = 'create' | 'capture' | 'void' | 'refund' | 'complete';
export const TIMED_OPERATIONS: readonly TimedOperation[] = ['create', 'capture', 'void', 'refund', 'complete'];

/** Where a request adds up the time it spent in the tree (ms). A timed route's Fastify request is one. */
export interface TreeTime {
  treeMs: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    treeMs: number;
    handlingStartedAt: number;
  }
}

/** Adds the time since `startedAt` (a `performance.now()`) to the request's tree time, if it keeps one. */
export function addTreeTime(holder: TreeTime | undefined, startedAt: number): void {
  if (holder !== undefined) holder.treeMs += performance.now() - startedAt;
}

/** Marks a route whose answers carry `Server-Timing` and are observed as `operation`. */
export const ServerTimed = (operation: TimedOperation): MethodDecorator => RouteConfig({ serverTiming: operation });

/** How the header is documented on the timed routes' answers (OpenAPI). */
export const SERVER_TIMING_HEADER = {
  'Server-Timing': {
    description:
      "`gateway;dur=<ms>` Canopy's own time handling the request, `tree;dur=<ms>` the time spent in the tree's providers " +
      '(0 on a replayed or refused request).',
    schema: { type: 'string' },
  },
};

export type ServerTimingObserver = (operation: TimedOperation, gatewayMs: number, treeMs: number) => void;

/**
 * Gives the routes marked `@ServerTimed` a `Server-Timing` header: the whole handling (from the
 * request's first hook to its answer) minus the tree time the use cases added up, and the tree
 * time. The hooks are attached to those routes only, so other routes pay nothing. Call before
 * `app.init()` (routes are registered then).
 */
export function registerServerTiming(app: NestFastifyApplication, observe: ServerTimingObserver): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateRequest('treeMs', 0);
  fastify.decorateRequest('handlingStartedAt', 0);
  const start: onRequestHookHandler = (request, _reply, done) => {
    request.handlingStartedAt = performance.now();
    done();
  };
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const operation = (route.config as { serverTiming?: TimedOperation } | undefined)?.serverTiming;
    if (operation === undefined) return;
    const answer: onSendHookHandler = (request, reply, payload, done) => {
      const treeMs = request.treeMs;
      // 0: answered by an app-wide onRequest hook (e.g. 503 while shutting down) before this route's ran.
      const startedAt = request.handlingStartedAt;
      const gatewayMs = startedAt === 0 ? 0 : Math.max(0, performance.now() - startedAt - treeMs);
      void reply.header('server-timing', `gateway;dur=${gatewayMs.toFixed(3)};desc="Canopy", tree;dur=${treeMs.toFixed(3)};desc="providers"`);
      observe(operation, gatewayMs, treeMs);
      done(null, payload);
    };
    route.onRequest = [start, ...hooksOf(route.onRequest)];
    route.onSend = [...hooksOf(route.onSend), answer];
  });
}

function hooksOf<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}
