import type { AuthorizeOutcome } from '#gateway-spi';
import type { Attempt, Payment } from '#persistence';
import type { PaymentStatus, StatusChange } from './payment-status.js';

/** The payment's fields once the tree answered its authorization; `actionTimeoutMs` bounds a wait for the shopper. */
export function settledFields(outcome: AuthorizeOutcome, captureNow: boolean, at: Date, actionTimeoutMs: number): Partial<Payment> {
  // The attempt that produced the outcome: the last one, or, when a cascade's retry failed without
  // moving money and the outcome is the decline before it, the last one on the outcome's path.
  const routePath = outcome.path.join('/');
  const holdingAttempt = [...outcome.attempts].reverse().find((attempt) => attempt.path.join('/') === routePath) ?? outcome.attempts.at(-1);
  const route = {
    routePath: outcome.path.length > 0 ? outcome.path.join('/') : null,
    holdingAttemptId: holdingAttempt?.attemptId ?? null,
    providerReference: outcome.providerReference,
  };
  switch (outcome.outcome) {
    case 'approved':
      return captureNow
        ? { ...route, status: 'captured', amountCaptured: outcome.amountCaptured }
        : { ...route, status: 'authorized' };
    case 'declined':
      return { ...route, status: 'declined', declineCode: outcome.code, failureMessage: outcome.message };
    case 'failed':
      return { ...route, status: 'failed', declineCode: outcome.code, failureMessage: outcome.message };
    case 'requires_action': {
      const actionExpiresAt = new Date(at.getTime() + actionTimeoutMs);
      return {
        ...route,
        status: 'requires_action',
        declineCode: null,
        failureMessage: null,
        nextActionUrl: outcome.nextAction?.url ?? null,
        actionExpiresAt,
        // Reconciliation looks at it once the shopper's time is up (checking with the provider first).
        nextCheckAt: actionExpiresAt,
      };
    }
    case 'unknown':
      return {
        ...route,
        status: 'pending',
        declineCode: null,
        failureMessage: `The provider did not confirm the outcome (${outcome.code ?? 'unknown'}); reconciliation will settle this payment.`,
        // Scheduled for the reconciler only now that the route is recorded (its status inquiry needs it).
        nextCheckAt: at,
      };
  }
}

/** The attempts the tree made, as recorded. */
export function attemptRows(paymentId: string, outcome: AuthorizeOutcome, at: Date): Attempt[] {
  return outcome.attempts.map((attempt) => ({
    id: attempt.attemptId,
    paymentId,
    seq: attempt.attemptSeq,
    path: attempt.path.join('/'),
    outcome: attempt.outcome,
    code: attempt.code,
    reason: attempt.reason,
    latencyMs: Math.round(attempt.latencyMs),
    providerReference: attempt.providerReference,
    createdAt: at,
  }));
}

/** The events of the authorization: none while pending; a capture passes through authorized. */
export function statusChanges(status: PaymentStatus, outcome: AuthorizeOutcome): StatusChange[] {
  return [...cascadeEvents(outcome), ...statusEvents(status, outcome)];
}

/**
 * A `payment.cascaded` event for each declined attempt a router retried on another child (a
 * decline followed by another attempt is always a cascade: nothing else moves on after a decline).
 */
function cascadeEvents(outcome: AuthorizeOutcome): StatusChange[] {
  return outcome.attempts.flatMap((attempt, index): StatusChange[] => {
    const next = outcome.attempts[index + 1];
    if (attempt.outcome !== 'declined' || !next) return [];
    const data = {
      attempt_id: attempt.attemptId,
      path: attempt.path.join('/'),
      code: attempt.code,
      next_attempt_id: next.attemptId,
      next_path: next.path.join('/'),
      reason: next.reason,
    };
    return [{ from: 'pending', to: 'pending', type: 'payment.cascaded', data }];
  });
}

function statusEvents(status: PaymentStatus, outcome: AuthorizeOutcome): StatusChange[] {
  const data = { route_path: outcome.path.join('/'), code: outcome.code };
  if (status === 'pending') return [];
  if (status === 'requires_action') return [{ from: 'pending', to: status, data: { ...data, next_action: outcome.nextAction ?? null } }];
  if (status === 'captured') {
    return [
      { from: 'pending', to: 'authorized', data },
      { from: 'authorized', to: 'captured', data: { ...data, amount: outcome.amountCaptured } },
    ];
  }
  return [{ from: 'pending', to: status, data }];
}
