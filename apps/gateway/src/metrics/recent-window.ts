/** What a node did lately: attempts and approvals over the last `windowSeconds`. */
export interface RecentActivity {
  window_seconds: number;
  attempts: number;
  approved: number;
  /** approved / attempts, null without attempts. */
  approval_rate: number | null;
}

const BUCKET_MS = 10_000;

/**
 * Counts over a sliding window in fixed 10-second buckets: memory stays constant per node however
 * many attempts arrive, and old buckets simply stop counting.
 */
export class RecentWindow {
  private readonly buckets: { start: number; attempts: number; approved: number }[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(approved: boolean): void {
    const start = Math.floor(this.now() / BUCKET_MS) * BUCKET_MS;
    let bucket = this.buckets.at(-1);
    if (!bucket || bucket.start !== start) {
      bucket = { start, attempts: 0, approved: 0 };
      this.buckets.push(bucket);
      this.prune();
    }
    bucket.attempts += 1;
    if (approved) bucket.approved += 1;
  }

  snapshot(): RecentActivity {
    this.prune();
    let attempts = 0;
    let approved = 0;
    for (const bucket of this.buckets) {
      attempts += bucket.attempts;
      approved += bucket.approved;
    }
    return {
      window_seconds: this.windowMs / 1000,
      attempts,
      approved,
      approval_rate: attempts === 0 ? null : approved / attempts,
    };
  }

  private prune(): void {
    const oldest = this.now() - this.windowMs;
    while (this.buckets.length > 0 && (this.buckets[0]?.start ?? 0) + BUCKET_MS <= oldest) this.buckets.shift();
  }
}
