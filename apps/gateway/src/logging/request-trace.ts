import type { FastifyRequest } from 'fastify';

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/**
 * The trace id of a request: the trace id of a W3C `traceparent` header when the caller sent a
 * valid one (so the gateway's lines join the caller's trace), else the request id. It is the
 * trace id the tree's nodes receive in their context.
 */
function traceIdOf(request: FastifyRequest): string {
  const header = request.headers.traceparent;
  const traceId = typeof header === 'string' ? TRACEPARENT.exec(header.trim().toLowerCase())?.[1] : undefined;
  return traceId && !/^0+$/.test(traceId) ? traceId : String(request.id);
}

/** Whom a piece of work serves: its trace id, and the id of the request that asked (none for background work). */
export interface RequestTrace {
  traceId: string;
  requestId?: string;
}

export function requestTraceOf(request: FastifyRequest): RequestTrace {
  return { traceId: traceIdOf(request), requestId: String(request.id) };
}

/** What a log line carries to tie it to its request: `reqId` (when a request asked) and `trace_id`, as the closing request line has them. */
export function traceLogFields(trace: RequestTrace): Record<string, string> {
  return trace.requestId === undefined ? { trace_id: trace.traceId } : { reqId: trace.requestId, trace_id: trace.traceId };
}
