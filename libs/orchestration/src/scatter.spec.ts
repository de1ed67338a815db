import { describe, expect, it, vi } from 'vitest';
import { settleWithin } from './scatter.js';

describe('settleWithin', () => {
  it('answers the work, and an abort right after the answer (a released context) does not reach the fallback', async () => {
    const controller = new AbortController();
    const fallback = vi.fn(() => 'fallback');
    const answer = settleWithin(Promise.resolve('answered'), controller.signal, fallback, 50);
    expect(await answer).toBe('answered');
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(fallback).not.toHaveBeenCalled();
  });

  it('falls back when the signal aborts and the work has not answered within the grace', async () => {
    const controller = new AbortController();
    const answer = settleWithin(new Promise<string>(() => {}), controller.signal, (why) => `fallback: ${why}`, 10);
    controller.abort();
    expect(await answer).toBe('fallback: no answer before the deadline');
  });

  it('falls back with the error of work that rejects', async () => {
    const answer = settleWithin(Promise.reject(new Error('reset')), new AbortController().signal, (why) => `fallback: ${why}`);
    expect(await answer).toBe('fallback: reset');
  });
});
