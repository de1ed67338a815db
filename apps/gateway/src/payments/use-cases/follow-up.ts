import type { AttemptAddress, OperationOutcome } from '#gateway-spi';
import type { Payment } from '#persistence';
import { ApiError } from '../../errors/api-error.js';
import type { Tx } from '../../idempotency/idempotency.service.js';

/** Follow-ups go down the recorded route path to the leaf holding the payment, never re-routed. */
export function holdingAddress(payment: Payment): AttemptAddress {
  if (!payment.routePath || !payment.holdingAttemptId) {
    throw new Error(`payment ${payment.id} has no recorded route`);
  }
  return {
    path: payment.routePath.split('/'),
    attemptId: payment.holdingAttemptId,
    providerReference: payment.providerReference,
  };
}

/** Marks `operation` running on the payment (null: none); a running operation is nobody's to reconcile. */
export async function markOperation(tx: Tx, paymentId: string, operation: string | null): Promise<void> {
  await tx.payment.update({
    where: { id: paymentId },
    data: { operationInFlight: operation, operationStartedAt: operation ? new Date() : null, nextCheckAt: null, checkCount: 0 },
  });
}

/** First check of an unanswered operation: long enough for the provider to have finished it. */
export const UNRESOLVED_FIRST_CHECK_MS = 10_000;

/**
 * The provider did not answer the operation: it stays marked (no other operation may start) and is
 * scheduled for reconciliation, which asks the holding leaf whether it applied. A retry of the same
 * operation may re-drive it meanwhile: its provider idempotency key is the same.
 */
export async function markUnresolved(tx: Tx, paymentId: string, at: Date): Promise<void> {
  await tx.payment.update({ where: { id: paymentId }, data: { nextCheckAt: new Date(at.getTime() + UNRESOLVED_FIRST_CHECK_MS) } });
}

/**
 * A provider that refused or did not answer a follow-up. The key is released either way; a refusal
 * leaves the payment unchanged, no answer leaves the operation marked for reconciliation.
 */
export function providerFailure(operation: string, outcome: OperationOutcome): ApiError {
  if (outcome.outcome === 'unknown') {
    return new ApiError(
      504,
      'api_error',
      outcome.code ?? 'provider_timeout',
      `The provider did not confirm the ${operation} in time. Retry with the same Idempotency-Key: it will not be applied twice. Otherwise reconciliation settles it.`,
    );
  }
  return new ApiError(
    502,
    'api_error',
    outcome.code ?? 'processing_error',
    `The provider refused the ${operation}: ${outcome.message ?? 'no reason given'}.`,
  );
}
