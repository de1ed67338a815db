import type { NotificationFact, NotificationFactKind } from '#gateway-spi';
import type Stripe from 'stripe';
import { cardSituation, verdict } from './stripe.codes.js';
import { ATTEMPT_KEY, OPERATION_KEY, safeText } from './stripe.mapping.js';

/**
 * Stripe events → notification facts (pure). Only events that change where an attempt's money
 * stands become facts; the others (`payment_intent.created`, `charge.*` but disputes, …) give none.
 * `charge.refunded` is one of them: its Charge no longer lists its refunds (API 2022-11-15 on), and
 * `refund.created` / `refund.updated` / `refund.failed` say the same about each refund, with its metadata.
 */
export function factsOfEvent(event: Stripe.Event): NotificationFact[] {
  switch (event.type) {
    case 'payment_intent.amount_capturable_updated': {
      const intent = event.data.object;
      if (intent.status !== 'requires_capture') return [];
      return [intentFact(event, 'authorized', intent, { amount: intent.amount_capturable, captured: false })];
    }
    case 'payment_intent.succeeded': {
      const intent = event.data.object;
      // Automatic capture: authorized and captured in one step. Manual: the capture the root asked for.
      if (intent.capture_method === 'manual') return [intentFact(event, 'captured', intent, { amount: intent.amount_received, operation: 'capture' })];
      return [intentFact(event, 'authorized', intent, { amount: intent.amount_received, captured: true })];
    }
    case 'payment_intent.payment_failed': {
      const intent = event.data.object;
      const error = intent.last_payment_error;
      const code = error ? verdict(cardSituation(error.code, error.decline_code)).code : 'card_declined';
      return [intentFact(event, 'authorization_failed', intent, { code, message: safeText(error?.message) })];
    }
    case 'payment_intent.canceled': {
      const intent = event.data.object;
      // A cancel after an authorization is the void the root sent; before one, the attempt just ends.
      const authorized = Boolean(intent.latest_charge) && !intent.last_payment_error;
      return [intentFact(event, 'cancelled', intent, { operation: authorized ? 'void' : null, message: intent.cancellation_reason })];
    }
    case 'refund.created':
    case 'refund.updated': {
      const refund = event.data.object;
      // `refund.updated` repeats a refund that was already succeeded (e.g. metadata changes): the root ignores a known one.
      if (refund.status !== 'succeeded') return [];
      if (event.type === 'refund.updated' && event.data.previous_attributes?.status === undefined) return [];
      return [refundFact(event, 'refunded', refund)];
    }
    case 'refund.failed':
      return [refundFact(event, 'refund_failed', event.data.object)];
    case 'charge.dispute.created': {
      const dispute = event.data.object;
      return [
        {
          eventId: event.id,
          kind: 'dispute_opened',
          attemptId: null,
          operationId: null,
          providerReference: idOf(dispute.payment_intent),
          amount: dispute.amount,
          currency: dispute.currency.toUpperCase(),
          code: null,
          message: `dispute ${dispute.id}: ${dispute.reason}`,
        },
      ];
    }
    default:
      return [];
  }
}

interface IntentFactFields {
  amount?: number;
  captured?: boolean;
  /** Which of the root's operations on the attempt this reports, when one. */
  operation?: 'capture' | 'void' | null;
  code?: NotificationFact['code'];
  message?: string | null;
}

function intentFact(event: Stripe.Event, kind: NotificationFactKind, intent: Stripe.PaymentIntent, fields: IntentFactFields): NotificationFact {
  const attemptId = intent.metadata?.[ATTEMPT_KEY] ?? null;
  return {
    eventId: event.id,
    kind,
    attemptId,
    operationId: attemptId && fields.operation ? `${attemptId}.${fields.operation}` : null,
    providerReference: intent.id,
    amount: fields.amount ?? intent.amount,
    currency: intent.currency.toUpperCase(),
    ...(fields.captured === undefined ? {} : { captured: fields.captured }),
    code: fields.code ?? null,
    message: fields.message ?? null,
  };
}

/** About the attempt's PaymentIntent (its provider reference); the refund itself is named by the operation id. */
function refundFact(event: Stripe.Event, kind: 'refunded' | 'refund_failed', refund: Stripe.Refund): NotificationFact {
  return {
    eventId: event.id,
    kind,
    attemptId: refund.metadata?.[ATTEMPT_KEY] ?? null,
    operationId: refund.metadata?.[OPERATION_KEY] ?? null,
    providerReference: idOf(refund.payment_intent),
    amount: refund.amount,
    currency: refund.currency.toUpperCase(),
    code: kind === 'refund_failed' ? 'processing_error' : null,
    message: kind === 'refund_failed' ? `refund ${refund.id} failed: ${refund.failure_reason ?? 'unknown'}` : null,
  };
}

function idOf(value: string | { id: string } | null): string | null {
  return typeof value === 'string' ? value : (value?.id ?? null);
}
