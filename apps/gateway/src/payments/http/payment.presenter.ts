import type { Attempt, Payment, PaymentEvent, Refund } from '#persistence';

/** The payment object of API.md. Never includes more of the card than brand, BIN and last4. */
export function presentPayment(payment: Payment, attempts: readonly Attempt[]) {
  return {
    id: payment.id,
    object: 'payment',
    status: payment.status,
    amount: payment.amount,
    amount_captured: payment.amountCaptured,
    amount_refunded: payment.amountRefunded,
    currency: payment.currency,
    capture: payment.capture,
    payment_method: {
      id: payment.paymentMethodId,
      type: payment.methodType,
      card: {
        brand: payment.cardBrand,
        bin: payment.cardBin,
        last4: payment.cardLast4,
        exp_month: payment.cardExpMonth,
        exp_year: payment.cardExpYear,
      },
    },
    customer: { id: payment.customerId, country: payment.customerCountry },
    setup_future_usage: payment.setupFutureUsage,
    off_session: payment.initiator === 'merchant',
    description: payment.description,
    decline_code: payment.declineCode,
    failure_message: payment.failureMessage,
    next_action: payment.status === 'requires_action' && payment.nextActionUrl ? { type: 'redirect_to_url', url: payment.nextActionUrl } : null,
    return_url: payment.returnUrl,
    pending_operation: pendingOperationOf(payment),
    route: {
      path: payment.routePath,
      attempts: [...attempts]
        .sort((a, b) => a.seq - b.seq)
        .map((attempt) => ({
          id: attempt.id,
          path: attempt.path,
          outcome: attempt.outcome,
          code: attempt.code,
          reason: attempt.reason,
          latency_ms: attempt.latencyMs,
        })),
    },
    metadata: payment.metadata,
    created_at: payment.createdAt.toISOString(),
    updated_at: payment.updatedAt.toISOString(),
  };
}

/** A capture or void its provider accepted and has not confirmed yet (the payment is `pending` meanwhile). */
function pendingOperationOf(payment: Payment) {
  if (payment.operationAcceptedAt === null || payment.operationInFlight === null) return null;
  return {
    type: payment.operationInFlight,
    status: 'pending',
    amount: payment.operationAmount,
    accepted_at: payment.operationAcceptedAt.toISOString(),
  };
}

export function presentRefund(refund: Refund) {
  return {
    id: refund.id,
    object: 'refund',
    payment_id: refund.paymentId,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    reason: refund.reason,
    created_at: refund.createdAt.toISOString(),
  };
}

export function presentEvent(event: PaymentEvent) {
  return {
    id: event.id,
    object: 'event',
    type: event.type,
    payment_id: event.paymentId,
    previous_status: event.fromStatus,
    status: event.toStatus,
    data: event.data,
    created_at: event.createdAt.toISOString(),
  };
}

/** The answer to a created payment (201, also when declined or failed), as stored for its replays. */
export function createdPaymentAnswer(payment: Payment & { attempts: readonly Attempt[] }) {
  return { status: 201, body: presentPayment(payment, payment.attempts) };
}

/** The answer to a captured or voided payment. */
export function settledPaymentAnswer(payment: Payment & { attempts: readonly Attempt[] }) {
  return { status: 200, body: presentPayment(payment, payment.attempts) };
}

/** The answer to a refund, whatever its status (201). */
export function refundAnswer(refund: Refund) {
  return { status: 201, body: presentRefund(refund) };
}
