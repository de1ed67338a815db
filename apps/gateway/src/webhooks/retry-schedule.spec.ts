import { describe, expect, it } from 'vitest';
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from './retry-schedule.js';

const HOUR = 3600_000;
const retries = Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_, i) => i + 1);

describe('webhook retry schedule', () => {
  it('keeps retrying for at least 3 days, even with the least jitter', () => {
    const total = retries.reduce((sum, retry) => sum + retryDelayMs(retry, 0), 0);
    expect(total).toBeGreaterThanOrEqual(72 * HOUR);
    expect(total).toBeLessThan(4 * 24 * HOUR);
  });

  it('grows exponentially from 5 s up to a 12 h cap', () => {
    expect(retries.map((retry) => retryDelayMs(retry, 0)).slice(0, 4)).toEqual([5_000, 20_000, 80_000, 320_000]);
    expect(retryDelayMs(20, 0)).toBe(12 * HOUR);
    for (const retry of retries.slice(1)) expect(retryDelayMs(retry, 0)).toBeGreaterThanOrEqual(retryDelayMs(retry - 1, 0));
  });

  it('adds up to 25 % jitter, never less than the nominal delay', () => {
    expect(retryDelayMs(1, 0.999_999)).toBe(6_250);
    for (let i = 0; i < 200; i += 1) {
      const delay = retryDelayMs(3);
      expect(delay).toBeGreaterThanOrEqual(80_000);
      expect(delay).toBeLessThanOrEqual(100_000);
    }
  });
});
