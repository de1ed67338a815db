import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/**
 * The trace id of a request: the trace id of a W3C `traceparent` header when the caller sent a
 * valid one (so the gateway's lines join the caller's trace), else the request id. It is the
 * trace id the tree's nodes receive in their context.
 */
export function traceIdOf(request: FastifyRequest): string {
  const header = request.headers.traceparent;
  const traceId = typeof header === 'string' ? TRACEPARENT.exec(header.trim().toLowerCase())?.[1] : undefined;
  return traceId && !/^0+$/.test(traceId) ? traceId : String(request.id);
}

type LogFields = Record<string, string | null>;

/** What a log line says about the payment (or refund) a payments route answered with; ids and path only. */
function paymentFields(payload: string): LogFields | undefined {
  if (!payload.startsWith('{"id":"')) return undefined;
  try {
    const body = JSON.parse(payload) as { id?: string; object?: string; status?: string; payment_id?: string; route?: { path?: string | null } };
    if (body.object === 'payment') {
      return { payment_id: body.id ?? null, payment_status: body.status ?? null, route_path: body.route?.path ?? null };
    }
    if (body.object === 'refund') return { refund_id: body.id ?? null, payment_id: body.payment_id ?? null };
  } catch {
    // Not JSON: nothing to add.
  }
  return undefined;
}

/**
 * Adds fields to every log line of a request (nestjs-pino's request-scoped logger, and the line
 * that closes the request): `trace_id` on all of them, and on payment routes the payment id,
 * status and route path (`root/eu/sim-alpha`) of the answer. Call before `app.init()`.
 */
export async function registerRequestLogFields(app: NestFastifyApplication): Promise<void> {
  const logger = await app.resolve(PinoLogger);
  const assign = (fields: LogFields): void => {
    try {
      logger.assign(fields);
    } catch {
      // Outside nestjs-pino's request scope (a route it does not wrap): nothing to bind to.
    }
  };
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preHandler', async (request) => {
    assign({ trace_id: traceIdOf(request) });
  });
  fastify.addHook('onSend', async (request, _reply, payload) => {
    if (typeof payload === 'string' && request.routeOptions.url?.startsWith('/v1/payments')) {
      const fields = paymentFields(payload);
      if (fields) assign(fields);
    }
    return payload;
  });
}
