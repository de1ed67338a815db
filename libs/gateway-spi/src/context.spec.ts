import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { childContext, contextWithTimeout } from './context.js';

const aborted = (signal: AbortSignal) =>
  new Promise<number>((resolve) => {
    const started = Date.now();
    signal.addEventListener('abort', () => resolve(Date.now() - started), { once: true });
  });

describe('contextWithTimeout', () => {
  it('aborts at its deadline with a TimeoutError', async () => {
    const ctx = contextWithTimeout(20, { traceId: 't' });
    expect(await aborted(ctx.signal)).toBeLessThan(500);
    expect((ctx.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('a child aborts at its own, shorter deadline even after a garbage collection', async () => {
    const parent = contextWithTimeout(5000, { traceId: 't' });
    const child = childContext(parent, 60);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    setTimeout(gc, 10);
    expect(await aborted(child.signal)).toBeLessThan(1000);
    expect(parent.signal.aborted).toBe(false);
  });

  it('a child aborts with its parent, and then lets go of the parent', async () => {
    const controller = new AbortController();
    const child = contextWithTimeout(5000, { traceId: 't', signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort('stop');
    expect(child.signal.aborted).toBe(true);
    expect(child.signal.reason).toBe('stop');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a child of an aborted parent starts aborted; a spent parent gives a zero budget', () => {
    expect(contextWithTimeout(5000, { traceId: 't', signal: AbortSignal.abort() }).signal.aborted).toBe(true);
    const spent = { ...contextWithTimeout(5000, { traceId: 't' }), deadline: Date.now() - 10 };
    expect(childContext(spent, 1000).deadline).toBeLessThanOrEqual(Date.now());
  });
});
