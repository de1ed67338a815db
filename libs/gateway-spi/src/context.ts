/** Structured logger handed to nodes. Nodes never log card numbers or CVCs. */
export interface NodeLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Per-call context. `signal` aborts when the caller's deadline passes: a node must then return
 * promptly (an outcome with `provider_timeout` when money may have moved), never hang.
 */
export interface NodeContext {
  signal: AbortSignal;
  /** Absolute deadline (epoch ms) behind `signal`, so a node can split what remains of it. */
  deadline: number;
  traceId: string;
  logger: NodeLogger;
}

export const silentLogger: NodeLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Why a released context's signal aborted: its caller has its answer (one shared reason, not one per call). */
const RELEASED = new DOMException('The caller has its answer.', 'AbortError');

/** How each timed context is ended early by its creator (see `releaseContext`). */
const releases = new WeakMap<NodeContext, () => void>();

/**
 * A context whose signal aborts after `timeoutMs`, or when `parent` aborts, whichever is first.
 * Not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: in Node 20 the timeout signal is held
 * only weakly there and can be garbage-collected before it fires, silently dropping the deadline
 * (nodejs/node#57736). Here the timer's closure keeps the controller alive until the deadline,
 * or until its creator releases it (`releaseContext`).
 */
export function contextWithTimeout(
  timeoutMs: number,
  base: { traceId: string; logger?: NodeLogger; signal?: AbortSignal },
): NodeContext {
  const ms = Math.max(0, timeoutMs);
  const deadline = Date.now() + ms;
  const controller = new AbortController();
  const parent = base.signal;
  const finish = (reason: unknown) => {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
    controller.abort(reason);
  };
  const onParentAbort = () => finish(parent?.reason);
  const timer = setTimeout(() => finish(new DOMException('The operation timed out.', 'TimeoutError')), ms);
  // Like AbortSignal.timeout: a pending deadline alone does not keep the process alive.
  timer.unref();
  if (parent?.aborted) finish(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const ctx: NodeContext = { signal: controller.signal, deadline, traceId: base.traceId, logger: base.logger ?? silentLogger };
  releases.set(ctx, () => finish(RELEASED));
  return ctx;
}

/**
 * Ends a context whose call has answered: its timer is cleared now instead of firing at the deadline
 * (holding the context and everything it references until then), and its signal aborts, so nothing
 * below keeps working for a caller that has its answer. Only the context's creator calls this, once
 * the call it made with it has settled. Contexts not made by `contextWithTimeout` are left alone.
 */
export function releaseContext(ctx: NodeContext): void {
  releases.get(ctx)?.();
}

/** Runs `call` with a child context of `ctx` (at most `budgetMs` of what remains), released once the call settles. */
export async function inChildContext<T>(ctx: NodeContext, budgetMs: number | undefined, call: (child: NodeContext) => Promise<T>): Promise<T> {
  const child = childContext(ctx, budgetMs);
  try {
    return await call(child);
  } finally {
    releaseContext(child);
  }
}

/** A child context that gets at most `budgetMs` of what remains of `ctx`'s deadline. */
export function childContext(ctx: NodeContext, budgetMs?: number): NodeContext {
  const remaining = ctx.deadline - Date.now();
  // No tighter budget: the parent's signal already aborts at this deadline (no second timer).
  if (budgetMs === undefined || budgetMs >= remaining) return { ...ctx };
  return contextWithTimeout(budgetMs, { traceId: ctx.traceId, logger: ctx.logger, signal: ctx.signal });
}
