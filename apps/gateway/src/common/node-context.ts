import { Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { contextWithTimeout, type NodeContext, type NodeLogger, releaseContext } from '#gateway-spi';
import { type RequestTrace, traceLogFields } from '../logging/request-trace.js';

const treeLogger = new Logger('Tree');

/** Whom the work serves: a request's trace, or the name of a background task's trace (`reconcile-pay_…`). */
export type Trace = RequestTrace | string;

const asRequestTrace = (trace: Trace): RequestTrace => (typeof trace === 'string' ? { traceId: trace } : trace);

/** The tree's logs go through Nest's logger as structured lines, with the request's `reqId` and `trace_id`. */
export function nodeLogger(trace: Trace): NodeLogger {
  const tags = traceLogFields(asRequestTrace(trace));
  const line = (message: string, fields?: Record<string, unknown>) => ({ msg: message, ...fields, ...tags });
  return {
    // Routers log a debug line per decision: not built when the level is off (the default).
    debug: (message, fields) => {
      if (PinoLogger.root?.isLevelEnabled('debug') !== false) treeLogger.debug(line(message, fields));
    },
    info: (message, fields) => treeLogger.log(line(message, fields)),
    warn: (message, fields) => treeLogger.warn(line(message, fields)),
    error: (message, fields) => treeLogger.error(line(message, fields)),
  };
}

export function requestContext(trace: Trace, timeoutMs: number): NodeContext {
  const { traceId } = asRequestTrace(trace);
  return contextWithTimeout(timeoutMs, { traceId, logger: nodeLogger(trace) });
}

/** Runs `call` with a request context, released once it settles (its deadline timer does not outlive the call). */
export async function inRequestContext<T>(trace: Trace, timeoutMs: number, call: (ctx: NodeContext) => Promise<T>): Promise<T> {
  const ctx = requestContext(trace, timeoutMs);
  try {
    return await call(ctx);
  } finally {
    releaseContext(ctx);
  }
}
