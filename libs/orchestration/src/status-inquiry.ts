import { childContext, type AttemptRecord, type AuthorizeOutcome, type GatewayNode, type NodeContext } from '#gateway-spi';
import { failedAttemptMayFailOver } from './retry-policy.js';

type Settled = Pick<AuthorizeOutcome, 'outcome' | 'code' | 'message' | 'retryable' | 'providerReference' | 'amountCaptured' | 'nextAction' | 'networkTransactionId'>;

/**
 * The outcome settled by the status inquiry. A network transaction id stays with an approval: the
 * status's, else the one the child answered; any other settlement drops it: only an approval has one.
 */
function settle(outcome: AuthorizeOutcome, settled: Settled, note: string): AuthorizeOutcome {
  const attempts = outcome.attempts.map((attempt, index): AttemptRecord => {
    if (index !== outcome.attempts.length - 1) return attempt;
    const { outcome: state, code, providerReference } = settled;
    return { ...attempt, outcome: state, code, providerReference, reason: `${attempt.reason} (${note})` };
  });
  const { networkTransactionId, ...rest } = outcome;
  const found = settled.networkTransactionId ?? networkTransactionId;
  const kept = settled.outcome === 'approved' || settled.outcome === 'unknown' ? found : undefined;
  return { ...rest, ...settled, ...(kept !== undefined && { networkTransactionId: kept }), attempts, settledByInquiry: true };
}

/**
 * An `unknown` outcome may hide a charge: ask the child that produced it for the status of the same
 * attempt, within `budgetMs`. Only `unknown` is asked about: `requires_action` is already an answer. `outcome` is the child's outcome with paths already prefixed by this
 * router, so the child's own path is `outcome.path.slice(1)`.
 */
export async function settleByStatusInquiry(
  child: GatewayNode,
  outcome: AuthorizeOutcome,
  fallbackAttemptId: string,
  ctx: NodeContext,
  budgetMs: number,
): Promise<AuthorizeOutcome> {
  if (outcome.outcome !== 'unknown') return outcome;
  const attemptId = outcome.attempts.at(-1)?.attemptId ?? fallbackAttemptId;
  const address = { path: outcome.path.slice(1), attemptId, providerReference: outcome.providerReference };
  const status = await child.status(address, childContext(ctx, budgetMs));
  const reference = status.providerReference ?? outcome.providerReference;
  switch (status.state) {
    case 'approved':
      return settle(
        outcome,
        {
          outcome: 'approved',
          code: null,
          message: null,
          retryable: false,
          providerReference: reference,
          amountCaptured: status.amountCaptured,
          ...(status.networkTransactionId != null && { networkTransactionId: status.networkTransactionId }),
        },
        'resolved by status inquiry',
      );
    case 'declined':
    case 'failed': {
      // The provider recorded the attempt as not charged: a failure fails over like a direct answer would.
      const retryable = status.state === 'failed' && failedAttemptMayFailOver(status.code);
      return settle(
        outcome,
        { outcome: status.state, code: status.code, message: `status inquiry: ${status.state}`, retryable, providerReference: reference, amountCaptured: 0 },
        `status inquiry: ${status.state}`,
      );
    }
    case 'not_found':
      return settle(
        outcome,
        { outcome: 'failed', code: 'provider_timeout', message: 'no reply, and the provider has no record of the attempt: nothing was charged', retryable: true, providerReference: null, amountCaptured: 0 },
        'status inquiry: not found, nothing charged',
      );
    case 'requires_action':
      // The provider waits for the shopper: bound to this leaf like a direct ask, never failed over.
      return settle(
        outcome,
        { outcome: 'requires_action', code: null, message: 'status inquiry: the provider waits for the shopper', retryable: false, providerReference: reference, amountCaptured: 0, nextAction: status.nextAction ?? null },
        'status inquiry: requires action',
      );
    case 'unknown':
      return settle(outcome, outcome, 'status inquiry: no answer');
  }
}
