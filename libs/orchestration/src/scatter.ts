import { setMaxListeners } from 'node:events';

/**
 * A scatter-gather hangs one child context per child on `signal` (each listens for its abort), so a
 * router with many children legitimately exceeds Node's default of 10 listeners: lift the limit.
 */
export function allowFanOut(signal: AbortSignal): void {
  setMaxListeners(0, signal);
}

/**
 * Settles `work`, or `fallback` when `signal` aborts first (and `work` has not answered `graceMs`
 * later) or `work` rejects: a child that ignores its deadline cannot hold up its router. For calls
 * that move no money (quote, health); for one that may (authorize) the fallback must be the
 * unknown outcome, which is then put to a status inquiry.
 */
export function settleWithin<T>(work: Promise<T>, signal: AbortSignal, fallback: (why: string) => T, graceMs = 0): Promise<T> {
  return new Promise((resolve) => {
    let grace: ReturnType<typeof setTimeout> | undefined;
    let answered = false;
    const giveUp = () => resolve(fallback('no answer before the deadline'));
    const onAbort = () => {
      // The signal of a context released right after the answer (releaseContext) aborts before the cleanup below runs.
      if (answered) return;
      if (graceMs <= 0) return giveUp();
      grace = setTimeout(giveUp, graceMs);
      grace.unref();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work
      .then(
        (value) => {
          answered = true;
          resolve(value);
        },
        (error: unknown) => {
          answered = true;
          resolve(fallback(error instanceof Error ? error.message : String(error)));
        },
      )
      .finally(() => {
        clearTimeout(grace);
        signal.removeEventListener('abort', onAbort);
      });
  });
}
