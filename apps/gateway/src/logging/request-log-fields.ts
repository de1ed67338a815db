import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import '../common/answered-value.js';
import { CREDENTIAL_HEADERS, REDACTED, scrubRequest, scrubSecrets } from './log-redaction.js';
import { requestTraceOf, traceLogFields } from './request-trace.js';

type LogFields = Record<string, string | null>;

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request's closing line carries (`reqId`, `trace_id`, and on payment routes the payment). */
    logFields: LogFields | null;
  }
}

interface AnsweredResource {
  id?: string;
  object?: string;
  status?: string;
  payment_id?: string;
  route?: { path?: string | null };
}

/** What a log line says about the payment (or refund) a payments route answered with; ids and path only. */
function resourceFields(body: AnsweredResource): LogFields | undefined {
  if (body.object === 'payment') return { payment_id: body.id ?? null, payment_status: body.status ?? null, route_path: body.route?.path ?? null };
  if (body.object === 'refund') return { refund_id: body.id ?? null, payment_id: body.payment_id ?? null };
  return undefined;
}

/** The answered resource: the value the route kept, else (a replay, a plain return) the payload parsed back. */
function answeredResource(request: FastifyRequest, payload: string): AnsweredResource | undefined {
  if (request.answered !== undefined && request.answered !== null && typeof request.answered === 'object') return request.answered as AnsweredResource;
  if (!payload.startsWith('{"id":"')) return undefined;
  try {
    return JSON.parse(payload) as AnsweredResource;
  } catch {
    return undefined;
  }
}

/** Request headers worth a line, shown scrubbed. */
const LOGGED_HEADERS = ['host', 'user-agent', 'content-type', 'content-length', 'idempotency-key', 'traceparent', 'origin'] as const;

/** The request as the closing line shows it: method, URL and query (scrubbed), client address, a few headers, credentials masked. */
function requestForLog(request: FastifyRequest) {
  const headers: Record<string, string | string[]> = {};
  for (const name of LOGGED_HEADERS) {
    const value = request.headers[name];
    // A caller may put anything in a header it controls: scrubbed like the URL.
    if (value !== undefined) headers[name] = typeof value === 'string' ? scrubSecrets(value) : value.map((item) => scrubSecrets(item));
  }
  for (const name of CREDENTIAL_HEADERS) if (request.headers[name] !== undefined) headers[name] = REDACTED;
  return scrubRequest({
    method: request.method,
    url: request.raw.url,
    query: request.query,
    headers,
    remoteAddress: request.socket?.remoteAddress,
    remotePort: request.socket?.remotePort,
  });
}

function fieldsOf(request: FastifyRequest): LogFields {
  request.logFields ??= traceLogFields(requestTraceOf(request));
  return request.logFields;
}

/**
 * Milliseconds with at most three decimals: the raw float's fifteen digits after the point would
 * read as a card number to every scan of the logs (one in ten passes the Luhn check).
 */
function millisecondsOf(elapsed: number): number {
  return Math.round(elapsed * 1000) / 1000;
}

function logCompleted(logger: Logger, request: FastifyRequest, reply: FastifyReply): void {
  const line = { ...fieldsOf(request), req: requestForLog(request), res: { statusCode: reply.statusCode }, responseTime: millisecondsOf(reply.elapsedTime) };
  if (reply.statusCode >= 500) logger.error(line, 'request errored');
  else logger.info(line, 'request completed');
}

/**
 * Request logging on Fastify's hooks: one line closes each request (`request completed`, `request
 * errored` for a 5xx, `request aborted` when the client went away first) with its `reqId` and
 * `trace_id`, and on payment routes the payment id, status and route path (`root/eu/sim-alpha`) of
 * their answer. The fields are one object per request: no child logger per request or per added
 * field. The lines logged while a request is handled carry the same `reqId` and `trace_id` from
 * the request's `RequestTrace` (request-trace.ts), passed along explicitly: not from an
 * AsyncLocalStorage, whose promise hook would tax every promise of the process. Call before
 * `app.init()`.
 */
export function registerRequestLogging(app: NestFastifyApplication, logger: Logger): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateRequest('logFields', null);
  fastify.decorateRequest('answered', undefined);
  fastify.addHook('onRequest', (request, _reply, done) => {
    fieldsOf(request);
    done();
  });
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    if (typeof payload === 'string' && request.routeOptions.url?.startsWith('/v1/payments')) {
      const resource = answeredResource(request, payload);
      const fields = resource && resourceFields(resource);
      if (fields) Object.assign(fieldsOf(request), fields);
    }
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    logCompleted(logger, request, reply);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    logger.warn({ ...fieldsOf(request), req: requestForLog(request) }, 'request aborted');
    done();
  });
}
