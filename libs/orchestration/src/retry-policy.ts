import type { AuthorizeOutcome, UnifiedCode } from '#gateway-spi';

/**
 * What a `failed` outcome with this code means for routing, in one place (used by the failover
 * walk, the status inquiry and the breakers):
 * - `hard`: the card holder's bank said no; another child would get the same answer. Final.
 * - `soft`: this child could not do it and, when the node also says nothing moved (`retryable`),
 *   another child may be tried.
 * - `route`: this child (a router) found no candidate for the payment; its siblings may.
 *
 * `unhealthy`: the outcome shows the child itself is in trouble, so it counts against its breaker.
 */
export interface CodePolicy {
  kind: 'hard' | 'soft' | 'route';
  unhealthy: boolean;
}

export const CODE_POLICY: Readonly<Record<UnifiedCode, CodePolicy>> = {
  card_declined: { kind: 'hard', unhealthy: false },
  insufficient_funds: { kind: 'hard', unhealthy: false },
  expired_card: { kind: 'hard', unhealthy: false },
  incorrect_cvc: { kind: 'hard', unhealthy: false },
  invalid_card_number: { kind: 'hard', unhealthy: false },
  authentication_required: { kind: 'hard', unhealthy: false },
  authentication_failed: { kind: 'hard', unhealthy: false },
  authentication_abandoned: { kind: 'hard', unhealthy: false },
  suspected_fraud: { kind: 'hard', unhealthy: false },
  stolen_card: { kind: 'hard', unhealthy: false },
  do_not_honor: { kind: 'hard', unhealthy: false },
  try_again_later: { kind: 'soft', unhealthy: false },
  issuer_unavailable: { kind: 'soft', unhealthy: false },
  processing_error: { kind: 'soft', unhealthy: true },
  provider_unavailable: { kind: 'soft', unhealthy: true },
  provider_timeout: { kind: 'soft', unhealthy: true },
  currency_not_supported: { kind: 'route', unhealthy: false },
  no_route: { kind: 'route', unhealthy: false },
  // The child did nothing: another may be tried (when retryable), and it is not in trouble.
  operation_not_supported: { kind: 'soft', unhealthy: false },
};

/**
 * A failure without a code is treated as the provider's processing error, and so is a code this
 * version does not know (a newer node-host behind a remote subtree may send one).
 */
const policyOf = (code: UnifiedCode | null): CodePolicy => CODE_POLICY[code ?? 'processing_error'] ?? CODE_POLICY.processing_error;

type Outcome = Pick<AuthorizeOutcome, 'outcome' | 'code' | 'retryable'>;

/**
 * Safe to try another child: only a `failed` outcome whose code is not a hard decline and whose node
 * says nothing moved. Approved, declined and `requires_action` (bound to its leaf) are final;
 * `unknown` must first go to a status inquiry.
 */
export function mayFailOver(outcome: Outcome): boolean {
  return outcome.outcome === 'failed' && outcome.retryable && policyOf(outcome.code).kind !== 'hard';
}

/**
 * The child's answer shows it unhealthy: it counts as a failure for the child's circuit breaker.
 * `requires_action` is a healthy answer (the provider answered: it wants the shopper first).
 */
export function countsAgainstChild(outcome: Outcome): boolean {
  if (outcome.outcome === 'unknown') return true;
  return outcome.outcome === 'failed' && policyOf(outcome.code).unhealthy;
}

/** A status inquiry found the attempt failed with `code`: nothing was charged, so a soft failure may fail over. */
export function failedAttemptMayFailOver(code: UnifiedCode | null): boolean {
  return policyOf(code).kind !== 'hard';
}
