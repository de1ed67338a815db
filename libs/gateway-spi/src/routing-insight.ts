/** What a router can tell about its routing without moving money: breakers and previews. */

/**
 * `half_open`: the open period is over and the next request is let through as the one probe (or the
 * probe is in flight); its success closes the breaker, its failure opens it again.
 */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** The circuit breaker a router keeps for one child, with its counters since start-up. */
export interface BreakerSnapshot {
  state: BreakerState;
  /** Failures in a row; the breaker opens when this reaches `failureThreshold`. */
  consecutiveFailures: number;
  failureThreshold: number;
  halfOpenAfterMs: number;
  /** Calls let through whose outcome showed a healthy child (approved, declined, …). */
  successes: number;
  /** Calls let through whose outcome showed an unhealthy child (unavailable, error, no reply). */
  failures: number;
  /** Calls not let through because the breaker was open. */
  rejected: number;
  /** How many times the breaker opened. */
  opened: number;
  /** When the breaker last opened (epoch ms), null while closed. */
  openedAt: number | null;
  /** The last failure, e.g. "provider_unavailable", null if none. */
  lastFailure: string | null;
}

/** One leaf a payment would be tried on, in order, with its quote and every level's reason. */
export interface PreviewCandidate {
  /** From the previewing node down to the leaf. */
  path: string[];
  eligible: boolean;
  /** The leaf's fee in minor units; null when its quote was not eligible or did not come. */
  fee: number | null;
  /** Routing decisions from the top down, as an attempt would record them. */
  reason: string;
  /** The breaker its router keeps for the leaf; null when the leaf has no router above it here. */
  breaker: BreakerState | null;
}

/** A node left out of the candidates, and why (capabilities, breaker open, no quote, not chosen). */
export interface PreviewSkip {
  path: string[];
  reason: string;
}

export interface RoutePreview {
  candidates: PreviewCandidate[];
  skipped: PreviewSkip[];
}

export interface PreviewOptions {
  /**
   * False when `facts.paymentId` is a placeholder (no payment exists yet): a strategy that splits
   * by payment id then lists its children by share instead of picking one.
   */
  pinned: boolean;
}
