import type { ProviderNotification } from '#gateway-spi';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { disputeObject, paymentIntentObject, refundObject, type EventObject } from '../fake/stripe.fake.js';
import { contractNotification, FAKE_WEBHOOK_SECRET } from '../fake/contract-notification.js';
import { signEvent } from '../fake/webhook-sender.js';
import { factsOfEvent } from './stripe.events.js';
import { parseStripeNotification, STRIPE_WEBHOOK_REPLY } from './stripe.notifications.js';

const SECRET = 'whsec_test_events_spec';
let n = 0;

function event<T extends Stripe.Event['type']>(type: T, object: EventObject<T>, previous?: Record<string, unknown>): Stripe.Event {
  return {
    id: `evt_spec${++n}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: 1_800_000_000,
    data: { object, ...(previous ? { previous_attributes: previous } : {}) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  } as Stripe.Event;
}

const intent = (fields: Partial<Stripe.PaymentIntent> & Pick<Stripe.PaymentIntent, 'status'>) =>
  paymentIntentObject({ id: 'pi_ev1', amount: 1000, currency: 'eur', capture_method: 'manual', metadata: { canopy_attempt_id: 'att_ev_1', canopy_payment_id: 'pay_ev' }, latest_charge: 'ch_ev1', ...fields });
const refund = (fields: Partial<Stripe.Refund> = {}) =>
  refundObject({ id: 're_stripe1', amount: 300, currency: 'eur', payment_intent: 'pi_ev1', charge: 'ch_ev1', metadata: { canopy_operation_id: 're_canopy1', canopy_attempt_id: 'att_ev_1' }, ...fields });

const base = { attemptId: 'att_ev_1', providerReference: 'pi_ev1', currency: 'EUR', code: null, message: null };

describe('stripe events → facts', () => {
  it('payment_intent.amount_capturable_updated: authorized, not captured', () => {
    const e = event('payment_intent.amount_capturable_updated', intent({ status: 'requires_capture', amount_capturable: 1000 }));
    expect(factsOfEvent(e)).toEqual([{ ...base, eventId: e.id, kind: 'authorized', operationId: null, amount: 1000, captured: false }]);
  });

  it('payment_intent.succeeded: a sale is authorized and captured; a manual capture is the capture the root sent', () => {
    const sale = event('payment_intent.succeeded', intent({ status: 'succeeded', capture_method: 'automatic', amount_received: 1000 }));
    expect(factsOfEvent(sale)).toEqual([{ ...base, eventId: sale.id, kind: 'authorized', operationId: null, amount: 1000, captured: true }]);
    const capture = event('payment_intent.succeeded', intent({ status: 'succeeded', amount_received: 600 }));
    expect(factsOfEvent(capture)).toEqual([{ ...base, eventId: capture.id, kind: 'captured', operationId: 'att_ev_1.capture', amount: 600 }]);
  });

  it('payment_intent.payment_failed: authorization_failed with the mapped code (a refused challenge is authentication_failed)', () => {
    const declined = event('payment_intent.payment_failed', intent({ status: 'requires_payment_method', last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' } }));
    expect(factsOfEvent(declined)).toEqual([{ ...base, eventId: declined.id, kind: 'authorization_failed', operationId: null, amount: 1000, code: 'insufficient_funds', message: 'Your card has insufficient funds.' }]);
    const refused = event('payment_intent.payment_failed', intent({ status: 'requires_payment_method', last_payment_error: { type: 'invalid_request_error', code: 'payment_intent_authentication_failure' } }));
    expect(factsOfEvent(refused)[0]).toMatchObject({ kind: 'authorization_failed', code: 'authentication_failed' });
  });

  it('payment_intent.canceled: cancelled; the root void when there was an authorization', () => {
    const voided = event('payment_intent.canceled', intent({ status: 'canceled' }));
    expect(factsOfEvent(voided)).toEqual([{ ...base, eventId: voided.id, kind: 'cancelled', operationId: 'att_ev_1.void', amount: 1000 }]);
    const abandoned = event('payment_intent.canceled', intent({ status: 'canceled', latest_charge: null, cancellation_reason: 'abandoned' }));
    expect(factsOfEvent(abandoned)).toEqual([{ ...base, eventId: abandoned.id, kind: 'cancelled', operationId: null, amount: 1000, message: 'abandoned' }]);
  });

  it('refund.created (succeeded) is refunded, named by the root refund id in its metadata; pending is not yet', () => {
    const created = event('refund.created', refund());
    expect(factsOfEvent(created)).toEqual([{ ...base, eventId: created.id, kind: 'refunded', operationId: 're_canopy1', amount: 300 }]);
    expect(factsOfEvent(event('refund.created', refund({ status: 'pending' })))).toEqual([]);
  });

  it('refund.updated is refunded only when its status just became succeeded', () => {
    expect(factsOfEvent(event('refund.updated', refund(), { status: 'pending' }))[0]).toMatchObject({ kind: 'refunded', operationId: 're_canopy1' });
    expect(factsOfEvent(event('refund.updated', refund(), { metadata: {} }))).toEqual([]);
    // A failure is told by refund.failed; the refund.updated that comes with it says nothing more.
    expect(factsOfEvent(event('refund.updated', refund({ status: 'failed' }), { status: 'succeeded' }))).toEqual([]);
  });

  it('refund.failed: refund_failed with the reason', () => {
    const failed = event('refund.failed', refund({ status: 'failed', failure_reason: 'expired_or_canceled_card' }));
    expect(factsOfEvent(failed)).toEqual([{ ...base, eventId: failed.id, kind: 'refund_failed', operationId: 're_canopy1', amount: 300, code: 'processing_error', message: 'refund re_stripe1 failed: expired_or_canceled_card' }]);
  });

  it('charge.dispute.created: dispute_opened about the PaymentIntent', () => {
    const e = event('charge.dispute.created', disputeObject({ amount: 1000, currency: 'eur', charge: 'ch_ev1', payment_intent: 'pi_ev1', reason: 'fraudulent' }));
    expect(factsOfEvent(e)).toEqual([{ ...base, attemptId: null, eventId: e.id, kind: 'dispute_opened', operationId: null, amount: 1000, message: expect.stringMatching(/^dispute dp_\w+: fraudulent$/) }]);
  });

  it('events that move no money give no facts', () => {
    expect(factsOfEvent(event('payment_intent.created', intent({ status: 'requires_capture' })))).toEqual([]);
    expect(factsOfEvent(event('payment_intent.requires_action', intent({ status: 'requires_action' })))).toEqual([]);
    expect(factsOfEvent(event('charge.refund.updated', refund({ status: 'failed' }), { status: 'succeeded' }))).toEqual([]);
  });
});

describe('stripe notifications: verified with the endpoint secret', () => {
  const e = event('payment_intent.amount_capturable_updated', intent({ status: 'requires_capture', amount_capturable: 1000 }));
  const signed = signEvent(JSON.stringify(e), SECRET);
  const posted = (over: Partial<ProviderNotification> = {}): ProviderNotification => ({ nodeId: 'stripe-1', body: signed.body, headers: signed.headers, ...over });

  it('a signed event: its facts and the reply Stripe expects', () => {
    expect(parseStripeNotification('stripe-1', SECRET, posted())).toEqual({ ok: true, facts: [expect.objectContaining({ eventId: e.id, kind: 'authorized' })], reply: STRIPE_WEBHOOK_REPLY });
    expect(STRIPE_WEBHOOK_REPLY).toEqual({ status: 200, contentType: 'application/json', body: '{"received":true}' });
  });

  it('a tampered body, another secret, a missing or garbled header: bad_signature', () => {
    expect(parseStripeNotification('stripe-1', SECRET, posted({ body: signed.body.replace('1000', '9000') }))).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(parseStripeNotification('stripe-1', 'whsec_other', posted())).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(parseStripeNotification('stripe-1', SECRET, posted({ headers: {} }))).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(parseStripeNotification('stripe-1', SECRET, posted({ headers: { 'stripe-signature': 'garbage' } }))).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('an old signature (beyond the 300 s tolerance) is refused', () => {
    const old = signEvent(JSON.stringify(e), SECRET, Math.floor(Date.now() / 1000) - 3600);
    expect(parseStripeNotification('stripe-1', SECRET, posted(old))).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('signed but not JSON, or JSON but not an event: malformed', () => {
    expect(parseStripeNotification('stripe-1', SECRET, posted(signEvent('not json', SECRET)))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(parseStripeNotification('stripe-1', SECRET, posted(signEvent('{"object":"charge"}', SECRET)))).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('another node: unknown_node; no webhook secret configured: not_supported', () => {
    expect(parseStripeNotification('stripe-1', SECRET, posted({ nodeId: 'stripe-2' }))).toMatchObject({ ok: false, reason: 'unknown_node' });
    expect(parseStripeNotification('stripe-1', null, posted())).toMatchObject({ ok: false, reason: 'not_supported' });
  });

  it('a verified event Canopy does not act on: ok, no facts, still the reply', () => {
    const other = signEvent(JSON.stringify(event('payment_intent.created', intent({ status: 'requires_capture' }))), SECRET);
    expect(parseStripeNotification('stripe-1', SECRET, posted(other))).toEqual({ ok: true, facts: [], reply: STRIPE_WEBHOOK_REPLY });
  });
});

describe('stripe contract notifications: the fixture writes what Stripe would send', () => {
  const sample = { eventId: 'evt_ct1', attemptId: 'att_ct_1', providerReference: 'pi_ct1', amount: 1000, currency: 'EUR' };
  const parse = (signed: { body: string; headers: Record<string, string> }) => parseStripeNotification('stripe-1', FAKE_WEBHOOK_SECRET, { nodeId: 'stripe-1', ...signed });

  it.each([
    ['authorized', undefined, { kind: 'authorized', attemptId: 'att_ct_1', providerReference: 'pi_ct1', captured: false }],
    ['captured', 'att_ct_1.capture', { kind: 'captured', operationId: 'att_ct_1.capture' }],
    ['cancelled', 'att_ct_1.void', { kind: 'cancelled', operationId: 'att_ct_1.void' }],
    ['refunded', 're_ct1', { kind: 'refunded', operationId: 're_ct1', attemptId: 'att_ct_1' }],
    ['refund_failed', 're_ct1', { kind: 'refund_failed', operationId: 're_ct1' }],
  ] as const)('%s', (kind, operationId, fact) => {
    const answer = parse(contractNotification({ ...sample, kind, ...(operationId ? { operationId } : {}) }, FAKE_WEBHOOK_SECRET));
    expect(answer).toMatchObject({ ok: true, facts: [{ eventId: 'evt_ct1', amount: 1000, currency: 'EUR', ...fact }] });
  });

  it('Stripe has no failed-capture event, and names a capture only by its PaymentIntent', () => {
    expect(() => contractNotification({ ...sample, kind: 'capture_failed', operationId: 'att_ct_1.capture' }, FAKE_WEBHOOK_SECRET)).toThrow(/no event for a failed capture/);
    expect(() => contractNotification({ ...sample, kind: 'captured', operationId: 'cap_other' }, FAKE_WEBHOOK_SECRET)).toThrow(/att_ct_1.capture/);
  });
});
