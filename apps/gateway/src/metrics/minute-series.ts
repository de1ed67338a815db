/** The time series of a node: one-minute buckets over the last hour. */
export const SERIES_BUCKET_MS = 60_000;
export const SERIES_BUCKETS = 60;

/** Attempts and approved attempts per bucket, oldest first, aligned with seriesBucketStarts(). */
export interface SeriesCounts {
  attempts: number[];
  approved: number[];
}

/** The start (epoch ms) of each of the SERIES_BUCKETS buckets ending with the one holding `now`, oldest first. */
export function seriesBucketStarts(now: number): number[] {
  const newest = Math.floor(now / SERIES_BUCKET_MS);
  return Array.from({ length: SERIES_BUCKETS }, (_, index) => (newest - SERIES_BUCKETS + 1 + index) * SERIES_BUCKET_MS);
}

/**
 * Attempts and approvals per minute over the last hour in a ring of SERIES_BUCKETS slots: each
 * slot remembers which minute it counts, so a slot left over from an older hour reads as empty and
 * is reset when its minute comes round again. Memory stays constant however long the process runs.
 */
export class MinuteSeries {
  private readonly minutes = new Float64Array(SERIES_BUCKETS).fill(-1);
  private readonly attempts = new Uint32Array(SERIES_BUCKETS);
  private readonly approved = new Uint32Array(SERIES_BUCKETS);

  constructor(private readonly now: () => number = Date.now) {}

  add(approved: boolean): void {
    const minute = Math.floor(this.now() / SERIES_BUCKET_MS);
    const slot = minute % SERIES_BUCKETS;
    const counted = this.minutes[slot]!;
    // The clock went back past this slot's newer minute: too old to count.
    if (counted > minute) return;
    if (counted < minute) {
      this.minutes[slot] = minute;
      this.attempts[slot] = 0;
      this.approved[slot] = 0;
    }
    this.attempts[slot]! += 1;
    if (approved) this.approved[slot]! += 1;
  }

  /** The counts of the buckets of seriesBucketStarts(now). */
  read(now: number = this.now()): SeriesCounts {
    const newest = Math.floor(now / SERIES_BUCKET_MS);
    const counts: SeriesCounts = { attempts: [], approved: [] };
    for (let minute = newest - SERIES_BUCKETS + 1; minute <= newest; minute++) {
      const slot = minute % SERIES_BUCKETS;
      const current = this.minutes[slot] === minute;
      counts.attempts.push(current ? this.attempts[slot]! : 0);
      counts.approved.push(current ? this.approved[slot]! : 0);
    }
    return counts;
  }

  /** Counts of a node that never had an attempt. */
  static empty(): SeriesCounts {
    return { attempts: new Array<number>(SERIES_BUCKETS).fill(0), approved: new Array<number>(SERIES_BUCKETS).fill(0) };
  }
}
