import { describe, expect, it } from 'vitest';
import { MinuteSeries, SERIES_BUCKET_MS, SERIES_BUCKETS, seriesBucketStarts } from './minute-series.js';

const MINUTE = SERIES_BUCKET_MS;
const START = 1_800_000_000_000; // a minute boundary

describe('seriesBucketStarts', () => {
  it('lists the hour of minute starts ending with the one holding now, oldest first', () => {
    const starts = seriesBucketStarts(START + 25_000);
    expect(starts).toHaveLength(SERIES_BUCKETS);
    expect(starts.at(-1)).toBe(START);
    expect(starts[0]).toBe(START - 59 * MINUTE);
    expect(starts.every((start, index) => index === 0 || start - starts[index - 1]! === MINUTE)).toBe(true);
  });
});

describe('MinuteSeries', () => {
  it('counts attempts and approvals in the minute they happened', () => {
    let now = START + 5_000;
    const series = new MinuteSeries(() => now);
    expect(series.read()).toEqual(MinuteSeries.empty());
    series.add(true);
    series.add(false);
    now = START + 59_999;
    series.add(true);
    now = START + 2 * MINUTE + 1;
    series.add(false);

    const { attempts, approved } = series.read();
    expect(attempts.slice(-3)).toEqual([3, 0, 1]);
    expect(approved.slice(-3)).toEqual([2, 0, 0]);
    expect(attempts.slice(0, -3).every((count) => count === 0)).toBe(true);
  });

  it('moves its buckets with the clock and forgets minutes older than an hour', () => {
    let now = START;
    const series = new MinuteSeries(() => now);
    series.add(true);
    now = START + 30 * MINUTE;
    series.add(false);

    // 59 minutes later the first minute is the oldest bucket, a minute more and it is gone.
    expect(series.read(START + 59 * MINUTE).attempts[0]).toBe(1);
    const hourLater = series.read(START + 60 * MINUTE);
    expect(hourLater.attempts.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(hourLater.attempts[SERIES_BUCKETS - 1 - 30]).toBe(1);
    expect(hourLater.approved.every((count) => count === 0)).toBe(true);
  });

  it('reuses a slot an hour later, starting it from zero', () => {
    let now = START;
    const series = new MinuteSeries(() => now);
    series.add(true);
    series.add(true);
    now = START + 60 * MINUTE + 10; // the same slot of the ring, the next hour
    series.add(false);
    const { attempts, approved } = series.read();
    expect(attempts.at(-1)).toBe(1);
    expect(approved.at(-1)).toBe(0);
    expect(attempts.reduce((sum, count) => sum + count, 0)).toBe(1);
  });

  it('drops an attempt whose clock went back past a newer minute of its slot', () => {
    let now = START + 60 * MINUTE;
    const series = new MinuteSeries(() => now);
    series.add(true);
    now = START; // an hour back: the same slot, an older minute
    series.add(true);
    expect(series.read(START + 60 * MINUTE).attempts.at(-1)).toBe(1);
    expect(series.read(START).attempts.at(-1)).toBe(0);
  });
});
