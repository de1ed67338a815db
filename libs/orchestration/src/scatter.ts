/**
 * Settles `work`, or `fallback` when `signal` aborts first or `work` rejects: a child that ignores
 * its deadline cannot hold up a scatter-gather. Only for calls that move no money (quote, health).
 */
export function settleWithin<T>(work: Promise<T>, signal: AbortSignal, fallback: (why: string) => T): Promise<T> {
  return new Promise((resolve) => {
    const onAbort = () => resolve(fallback('no answer before the deadline'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work
      .then(resolve, (error: unknown) => resolve(fallback(error instanceof Error ? error.message : String(error))))
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
