/** Approvals among the outcomes a window holds. */
export interface ApprovalCounts {
  attempts: number;
  approved: number;
}

/**
 * The last `size` outcomes of one child (in one segment), none older than `maxAgeMs`: a ring buffer
 * with running sums, so adding and counting cost O(1) amortised and memory stays fixed. The age
 * bound makes a child that gets no traffic (excluded, breaker open) forget its bad past and be
 * explored again; the size bound makes a busy child's rate follow its last outcomes.
 */
export class ApprovalWindow {
  private readonly at: Float64Array;
  private readonly ok: Uint8Array;
  /** Index of the oldest outcome held. */
  private head = 0;
  private held = 0;
  private approvedHeld = 0;

  constructor(
    private readonly size: number,
    private readonly maxAgeMs: number,
  ) {
    this.at = new Float64Array(size);
    this.ok = new Uint8Array(size);
  }

  add(approved: boolean, now: number): void {
    if (this.held === this.size) this.dropOldest();
    const slot = (this.head + this.held) % this.size;
    this.at[slot] = now;
    this.ok[slot] = approved ? 1 : 0;
    this.held += 1;
    if (approved) this.approvedHeld += 1;
  }

  counts(now: number): ApprovalCounts {
    const oldest = now - this.maxAgeMs;
    while (this.held > 0 && this.at[this.head]! < oldest) this.dropOldest();
    return { attempts: this.held, approved: this.approvedHeld };
  }

  private dropOldest(): void {
    this.approvedHeld -= this.ok[this.head]!;
    this.head = (this.head + 1) % this.size;
    this.held -= 1;
  }
}
