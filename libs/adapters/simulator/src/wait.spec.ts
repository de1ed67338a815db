import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep, untilAborted } from './wait.js';

describe('waits', () => {
  it('sleep resolves true after the delay and leaves no listener', async () => {
    const controller = new AbortController();
    expect(await sleep(5, controller.signal)).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('sleep resolves false as soon as the signal aborts', async () => {
    const started = Date.now();
    expect(await sleep(10_000, AbortSignal.timeout(20))).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('sleep on an aborted signal resolves false at once', async () => {
    expect(await sleep(10_000, AbortSignal.abort())).toBe(false);
  });

  it('untilAborted resolves on abort', async () => {
    const controller = new AbortController();
    const done = untilAborted(controller.signal);
    controller.abort();
    await expect(done).resolves.toBeUndefined();
  });
});
