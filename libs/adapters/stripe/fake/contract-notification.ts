import type { NotificationSample, SignedNotification } from '#gateway-spi';
import type Stripe from 'stripe';
import { eventObject, paymentIntentObject, refundObject } from './stripe.fake.js';
import { signEvent } from './webhook-sender.js';

/** The webhook secret the contract's fake endpoint signs with (`webhook_secret_env` of the node under test). */
export const FAKE_WEBHOOK_SECRET = 'whsec_canopy_contract_fake_endpoint';

/**
 * The event Stripe sends about a contract sample, signed with `secret` as Stripe signs a delivery
 * (the contract's `StartedContractProvider.notification`). Stripe names captures and voids only by
 * the PaymentIntent, so their operation id must be the root's `<attempt id>.capture` / `.void`; a
 * refund's is carried in its metadata. Stripe has no event for a failed capture (the capture call
 * itself answers it): that sample cannot be written.
 */
export function contractNotification(sample: NotificationSample, secret: string, known?: Stripe.PaymentIntent): SignedNotification {
  const event = eventOf(sample, known);
  return signEvent(JSON.stringify(event, null, 2), secret);
}

function eventOf(sample: NotificationSample, known: Stripe.PaymentIntent | undefined): Stripe.Event {
  const currency = sample.currency.toLowerCase();
  const intent = (fields: Partial<Stripe.PaymentIntent> & Pick<Stripe.PaymentIntent, 'status'>) =>
    paymentIntentObject({
      ...known,
      amount: sample.amount,
      currency,
      capture_method: 'manual',
      metadata: { ...known?.metadata, canopy_attempt_id: sample.attemptId },
      latest_charge: typeof known?.latest_charge === 'string' ? known.latest_charge : `ch_${sample.attemptId.replace(/\W/g, '')}`,
      ...(sample.providerReference ? { id: sample.providerReference } : {}),
      ...fields,
    });
  const event = { id: sample.eventId };
  switch (sample.kind) {
    case 'authorized':
      return eventObject('payment_intent.amount_capturable_updated', intent({ status: 'requires_capture', amount_capturable: sample.amount, amount_received: 0 }), event);
    case 'captured':
      expectOperation(sample, 'capture');
      return eventObject('payment_intent.succeeded', intent({ status: 'succeeded', amount_capturable: 0, amount_received: sample.amount }), event);
    case 'cancelled':
      expectOperation(sample, 'void');
      return eventObject('payment_intent.canceled', intent({ status: 'canceled', amount_capturable: 0, canceled_at: Math.floor(Date.now() / 1000) }), event);
    case 'refunded':
    case 'refund_failed': {
      if (!sample.operationId) throw new Error(`a ${sample.kind} sample needs the refund's operation id`);
      const refund = refundObject({
        amount: sample.amount,
        currency,
        payment_intent: sample.providerReference,
        charge: null,
        metadata: { canopy_operation_id: sample.operationId, canopy_attempt_id: sample.attemptId },
        status: sample.kind === 'refunded' ? 'succeeded' : 'failed',
        ...(sample.kind === 'refund_failed' ? { failure_reason: 'expired_or_canceled_card' } : {}),
      });
      return sample.kind === 'refunded' ? eventObject('refund.created', refund, event) : eventObject('refund.failed', refund, event);
    }
    case 'capture_failed':
      throw new Error('Stripe sends no event for a failed capture: the capture call answers it');
  }
}

function expectOperation(sample: NotificationSample, operation: 'capture' | 'void'): void {
  const expected = `${sample.attemptId}.${operation}`;
  if (sample.operationId !== undefined && sample.operationId !== expected) {
    throw new Error(`Stripe names a ${operation} only by its PaymentIntent, so its operation id is the root's ${expected}, not ${sample.operationId}`);
  }
}
