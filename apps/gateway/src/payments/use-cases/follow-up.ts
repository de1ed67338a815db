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

export async function markOperation(tx: Tx, paymentId: string, operation: string | null): Promise<void> {
  await tx.payment.update({
    where: { id: paymentId },
    data: { operationInFlight: operation, operationStartedAt: operation ? new Date() : null },
  });
}

/** A provider that refused or did not answer a follow-up: the payment is unchanged, the key is released. */
export function providerFailure(operation: string, outcome: OperationOutcome): ApiError {
  if (outcome.outcome === 'unknown') {
    return new ApiError(
      504,
      'api_error',
      outcome.code ?? 'provider_timeout',
      `The provider did not confirm the ${operation} in time. Retry with the same Idempotency-Key: it will not be applied twice.`,
    );
  }
  return new ApiError(
    502,
    'api_error',
    outcome.code ?? 'processing_error',
    `The provider refused the ${operation}: ${outcome.message ?? 'no reason given'}.`,
  );
}
