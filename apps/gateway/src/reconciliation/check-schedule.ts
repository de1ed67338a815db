/**
 * When a pending payment or refund whose status did not settle it is asked again: after
 * min(10 s × 2^(n-1), 1 h) for its n-th unanswered check (10 s, 20 s, 40 s, … then hourly).
 * A manual run (`POST /v1/ops/reconcile`) checks every pending one now, whatever its schedule.
 */
const FIRST_DELAY_MS = 10_000;
const MAX_DELAY_MS = 60 * 60 * 1000;

export function nextCheckDelayMs(checks: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, checks - 1), MAX_DELAY_MS);
}
