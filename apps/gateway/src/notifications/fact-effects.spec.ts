import { describe, expect, it } from 'vitest';
import type { NotificationFact } from '#gateway-spi';
import type { Payment, Refund } from '#persistence';
import type { PaymentStatus } from '../payments/index.js';
import { storedPayment } from '../payments/test-support/fakes.js';
import { decideFact } from './fact-effects.js';

const fact = (kind: NotificationFact['kind'], overrides: Partial<NotificationFact> = {}): NotificationFact => ({
  eventId: 'evt_1',
  kind,
  attemptId: 'att_abc_1',
  operationId: null,
  providerReference: 'psp_ref_1',
  amount: 1000,
  currency: 'EUR',
  code: null,
  message: null,
  ...overrides,
});

const payment = (status: PaymentStatus, overrides: Partial<Payment> = {}): Payment => storedPayment(status, overrides);

const refund = (status: string, scheduled = true): Refund => ({
  id: 're_1',
  paymentId: 'pay_abc',
  merchantId: 'mer_test',
  amount: 400,
  currency: 'EUR',
  status,
  reason: null,
  providerReference: null,
  acceptedAt: scheduled && status === 'pending' ? new Date() : null,
  nextCheckAt: null,
  checkCount: 0,
  checkLeaseUntil: null,
  createdAt: new Date(),
  updatedAt: new Date(),
});

describe('what a provider fact does to a payment', () => {
  it('settles a payment left pending by an unanswered authorization: authorized, or captured when it asked to', () => {
    const authorized = decideFact(fact('authorized'), payment('pending'), null);
    expect(authorized).toMatchObject({ result: 'applied', effect: { type: 'settle_undecided', from: 'pending', resolution: { to: 'authorized' } } });

    const captured = decideFact(fact('authorized', { captured: true }), payment('pending', { capture: true }), null);
    expect(captured).toMatchObject({ result: 'applied', effect: { resolution: { to: 'captured', amountCaptured: 1000 } } });
    if (captured.result !== 'applied' || captured.effect.type !== 'settle_undecided') throw new Error('expected a settlement');
    // The same events as reconciliation, ending with payment.pending_resolved, marked as the notification's doing.
    expect(captured.effect.resolution.changes.map((change) => change.type ?? change.to)).toEqual(['authorized', 'captured', 'payment.pending_resolved']);
    expect(captured.effect.resolution.changes[0]!.data).toMatchObject({ resolved_by: 'notification' });
  });

  it('finishes a payment waiting for its shopper, and declines it on a failed authorization', () => {
    expect(decideFact(fact('authorized'), payment('requires_action'), null)).toMatchObject({
      result: 'applied',
      effect: { from: 'requires_action', resolution: { to: 'authorized' } },
    });
    expect(decideFact(fact('authorization_failed', { code: 'authentication_failed' }), payment('requires_action'), null)).toMatchObject({
      result: 'applied',
      effect: { resolution: { to: 'declined', declineCode: 'authentication_failed' } },
    });
  });

  it('ignores what the payment already is, and surfaces what does not fit', () => {
    expect(decideFact(fact('authorized'), payment('captured'), null)).toMatchObject({ result: 'ignored' });
    expect(decideFact(fact('authorization_failed'), payment('declined'), null)).toMatchObject({ result: 'ignored' });
    expect(decideFact(fact('authorized'), payment('failed'), null)).toMatchObject({ result: 'unmatched', detail: expect.stringMatching(/money may be held/) });
    expect(decideFact(fact('authorized'), null, null)).toMatchObject({ result: 'unmatched' });
    expect(decideFact(fact('authorized', { attemptId: 'att_abc_2' }), payment('pending'), null)).toMatchObject({
      result: 'unmatched',
      detail: expect.stringMatching(/att_abc_1 holds the payment/),
    });
  });

  it('confirms an accepted capture with the amount the provider captured, and puts a failed one back to authorized', () => {
    const accepted = { operationInFlight: 'capture', operationAcceptedAt: new Date(), operationAmount: 600 };
    expect(decideFact(fact('captured', { amount: 600, operationId: 'att_abc_1.capture' }), payment('pending', accepted), null)).toMatchObject({
      result: 'applied',
      effect: { type: 'end_operation', from: 'pending', to: 'captured', amountCaptured: 600 },
    });
    expect(decideFact(fact('capture_failed'), payment('pending', accepted), null)).toMatchObject({
      result: 'applied',
      effect: { type: 'end_operation', to: 'authorized', eventType: 'payment.capture_failed' },
    });
    expect(decideFact(fact('captured', { amount: 5000 }), payment('pending', accepted), null)).toMatchObject({ result: 'unmatched' });
  });

  it('defers a fact while the request that moves the payment still runs (the provider sends it again)', () => {
    const running = { operationInFlight: 'capture', operationAcceptedAt: null, nextCheckAt: null };
    expect(decideFact(fact('captured'), payment('authorized', running), null)).toMatchObject({ result: 'deferred', detail: expect.stringMatching(/still running/) });
    expect(decideFact(fact('authorized'), payment('pending', { routePath: null, holdingAttemptId: null }), null)).toMatchObject({ result: 'deferred' });
  });

  it('confirms an accepted cancel, and fails a payment cancelled while waiting for its shopper', () => {
    const accepted = { operationInFlight: 'void', operationAcceptedAt: new Date() };
    expect(decideFact(fact('cancelled'), payment('pending', accepted), null)).toMatchObject({ result: 'applied', effect: { to: 'voided' } });
    expect(decideFact(fact('cancelled'), payment('requires_action'), null)).toMatchObject({
      result: 'applied',
      effect: { resolution: { to: 'failed', declineCode: 'authentication_abandoned' } },
    });
  });

  it('settles refunds by their id: pending ones either way; a succeeded one that fails is reversed', () => {
    const refundFact = (kind: 'refunded' | 'refund_failed') => fact(kind, { operationId: 're_1', amount: 400 });
    expect(decideFact(refundFact('refunded'), payment('captured'), refund('pending'))).toMatchObject({ result: 'applied', effect: { type: 'settle_refund', to: 'succeeded' } });
    expect(decideFact(refundFact('refund_failed'), payment('captured'), refund('pending'))).toMatchObject({ result: 'applied', effect: { type: 'settle_refund', to: 'failed' } });
    expect(decideFact(refundFact('refund_failed'), payment('partially_refunded'), refund('succeeded'))).toMatchObject({ result: 'applied', effect: { type: 'reverse_refund' } });
    expect(decideFact(refundFact('refunded'), payment('partially_refunded'), refund('succeeded'))).toMatchObject({ result: 'ignored' });
    expect(decideFact(refundFact('refunded'), payment('captured'), null)).toMatchObject({ result: 'unmatched' });
    // Its request still at the provider (not scheduled yet): that request records the answer first.
    expect(decideFact(refundFact('refunded'), payment('captured'), refund('pending', false))).toMatchObject({ result: 'deferred' });
  });

  it('surfaces a fact whose currency or amount does not fit the payment', () => {
    expect(decideFact(fact('authorized', { currency: 'USD' }), payment('pending'), null)).toMatchObject({ result: 'unmatched', detail: expect.stringMatching(/USD/) });
    expect(decideFact(fact('authorized', { amount: 5000 }), payment('pending'), null)).toMatchObject({ result: 'unmatched' });
  });

  it('records a dispute on any payment it names', () => {
    expect(decideFact(fact('dispute_opened'), payment('captured'), null)).toMatchObject({ result: 'applied', effect: { type: 'dispute' } });
  });
});
