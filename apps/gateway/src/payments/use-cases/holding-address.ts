import type { AttemptAddress } from '#gateway-spi';
import type { Payment } from '#persistence';

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
