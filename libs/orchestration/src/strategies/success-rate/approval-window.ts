/** Approvals among the outcomes a window holds. */
export interface ApprovalCounts {
  attempts: number;
  approved: number;
}

/**
 * The last `size` outcomes of one child (in one segment), none older than `maxAgeMs`: a ring buffer
 * with running sums, so adding and counting cost O(1) amortised and memory stays fixed. The age
 * bound makes a child that gets no traffic (excluded, breaker open) forget its bad past and be
 * explored again; the size bound makes a busy child's rate follow its last outcomes. The buffer
 * grows with use (a thin segment costs what it holds, not `size`).
 */
export class ApprovalWindow {
  private at = new Float64Array(INITIAL_CAPACITY);
  private ok = new Uint8Array(INITIAL_CAPACITY);
  /** Index of the oldest outcome held. */
  private head = 0;
  private held = 0;
  private approvedHeld = 0;
  /** The most outcomes it ever held at once. */
  private peak = 0;

  constructor(
    private readonly size: number,
    private readonly maxAgeMs: number,
  ) {}

  /** True once it has held `count` outcomes at the same time (it was warm), whatever it holds now. */
  hasHeld(count: number): boolean {
    return this.peak >= count;
  }

  add(approved: boolean, now: number): void {
    if (this.held === this.size) this.dropOldest();
    else if (this.held === this.at.length) this.grow();
    const slot = (this.head + this.held) % this.at.length;
    this.at[slot] = now;
    this.ok[slot] = approved ? 1 : 0;
    this.held += 1;
    if (this.held > this.peak) this.peak = this.held;
    if (approved) this.approvedHeld += 1;
  }

  counts(now: number): ApprovalCounts {
    const oldest = now - this.maxAgeMs;
    while (this.held > 0 && this.at[this.head]! < oldest) this.dropOldest();
    return { attempts: this.held, approved: this.approvedHeld };
  }

  private dropOldest(): void {
    this.approvedHeld -= this.ok[this.head]!;
    this.head = (this.head + 1) % this.at.length;
    this.held -= 1;
  }

  /** Doubles the buffer (up to `size`), the held outcomes moved to its start in order. */
  private grow(): void {
    const capacity = Math.min(this.size, this.at.length * 2);
    const at = new Float64Array(capacity);
    const ok = new Uint8Array(capacity);
    for (let i = 0; i < this.held; i += 1) {
      const from = (this.head + i) % this.at.length;
      at[i] = this.at[from]!;
      ok[i] = this.ok[from]!;
    }
    this.at = at;
    this.ok = ok;
    this.head = 0;
  }
}

const INITIAL_CAPACITY = 16;
