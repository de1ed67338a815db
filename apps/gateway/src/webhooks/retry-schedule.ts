/**
 * When a failed delivery is tried again. Retry n waits min(5 s × 4^(n-1), 12 h), plus up to 25 %
 * random jitter (only ever added, so the schedule spans at least its nominal length):
 *
 * | retry | delay  | since the first attempt |
 * |-------|--------|-------------------------|
 * | 1     | 5 s    | 5 s                     |
 * | 2     | 20 s   | 25 s                    |
 * | 3     | 80 s   | ~1.8 min                |
 * | 4     | ~5.3 m | ~7 min                  |
 * | 5     | ~21 m  | ~28 min                 |
 * | 6     | ~85 m  | ~1.9 h                  |
 * | 7     | ~5.7 h | ~7.6 h                  |
 * | 8–13  | 12 h   | ~19.6 h … ~79.6 h       |
 *
 * 14 attempts in all over ≥ 3.3 days; after the last one fails the delivery is marked `failed`.
 */
export const MAX_DELIVERY_ATTEMPTS = 14;

const FIRST_DELAY_MS = 5_000;
const GROWTH = 4;
const MAX_DELAY_MS = 12 * 60 * 60 * 1000;
const MAX_JITTER = 0.25;

/** The wait before retry number `retry` (1 = the first retry), with `random` ∈ [0, 1) as jitter. */
export function retryDelayMs(retry: number, random: number = Math.random()): number {
  const nominal = Math.min(FIRST_DELAY_MS * GROWTH ** Math.max(0, retry - 1), MAX_DELAY_MS);
  return Math.round(nominal * (1 + MAX_JITTER * random));
}
