import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { childContext, contextWithTimeout, inChildContext, releaseContext } from './context.js';

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

  it('a released context aborts at once as answered, lets go of its parent, and never times out later', async () => {
    const parent = contextWithTimeout(5000, { traceId: 't' });
    const child = childContext(parent, 40);
    releaseContext(child);
    expect(child.signal.aborted).toBe(true);
    expect((child.signal.reason as DOMException).name).toBe('AbortError');
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((child.signal.reason as DOMException).name).toBe('AbortError');
    expect(parent.signal.aborted).toBe(false);
  });

  it('inChildContext releases its own child after the call, and never the parent it shares a deadline with', async () => {
    const parent = contextWithTimeout(5000, { traceId: 't' });
    let tight: AbortSignal | undefined;
    expect(await inChildContext(parent, 1000, async (child) => ((tight = child.signal), 'answered'))).toBe('answered');
    expect(tight?.aborted).toBe(true);
    let shared: AbortSignal | undefined;
    await expect(inChildContext(parent, undefined, async (child) => ((shared = child.signal), Promise.reject(new Error('boom'))))).rejects.toThrow('boom');
    expect(shared).toBe(parent.signal);
    expect(parent.signal.aborted).toBe(false);
  });
});
