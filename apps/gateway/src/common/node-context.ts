import { Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { contextWithTimeout, type NodeContext, type NodeLogger, releaseContext } from '#gateway-spi';

const treeLogger = new Logger('Tree');

function withFields(message: string, fields?: Record<string, unknown>): string {
  return fields ? `${message} ${JSON.stringify(fields)}` : message;
}

/** The tree's logs go through Nest's logger, tagged with the trace id. */
export function nodeLogger(traceId: string): NodeLogger {
  return {
    // Routers log a debug line per decision: not formatted when the level is off (the default).
    debug: (message, fields) => {
      if (PinoLogger.root?.isLevelEnabled('debug') !== false) treeLogger.debug(withFields(message, { traceId, ...fields }));
    },
    info: (message, fields) => treeLogger.log(withFields(message, { traceId, ...fields })),
    warn: (message, fields) => treeLogger.warn(withFields(message, { traceId, ...fields })),
    error: (message, fields) => treeLogger.error(withFields(message, { traceId, ...fields })),
  };
}

export function requestContext(traceId: string, timeoutMs: number): NodeContext {
  return contextWithTimeout(timeoutMs, { traceId, logger: nodeLogger(traceId) });
}

/** Runs `call` with a request context, released once it settles (its deadline timer does not outlive the call). */
export async function inRequestContext<T>(traceId: string, timeoutMs: number, call: (ctx: NodeContext) => Promise<T>): Promise<T> {
  const ctx = requestContext(traceId, timeoutMs);
  try {
    return await call(ctx);
  } finally {
    releaseContext(ctx);
  }
}
