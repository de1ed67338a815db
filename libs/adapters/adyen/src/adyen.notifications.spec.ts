import { PublishedSchemas } from '#provider-fakes';
import { describe, expect, it } from 'vitest';
import { notificationBody, signedItem, type ItemFields } from '../fake/adyen.webhook.js';
import { ADYEN_NOTIFICATION_REPLY, factsFromItem, verifyNotification, type Known } from './adyen.notifications.js';

const webhooks = new PublishedSchemas('adyen-Webhooks-v1.json');
const KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const known: Known = {
  attemptOf: (psp) => (psp === 'PAYPSP0000000001' ? 'att_abc_1' : null),
  capturesAtOnce: (attemptId) => (attemptId === 'att_abc_1' ? false : null),
  operationKind: (attemptId, operationId) => (attemptId === 'att_abc_1' && operationId === 're_known' ? 'refund' : null),
};
const base = { merchantAccount: 'CanopyTest', amount: { value: 1000, currency: 'EUR' } };
const item = (fields: Partial<ItemFields> & Pick<ItemFields, 'eventCode' | 'success'>) => signedItem({ ...base, pspReference: 'MODPSP0000000001', merchantReference: 'att_abc_1', ...fields }, KEY);
const facts = (fields: Partial<ItemFields> & Pick<ItemFields, 'eventCode' | 'success'>) => factsFromItem(item(fields), known);

describe('adyen notifications: verification (the SDK HMAC validator, every item)', () => {
  it.each([
    ['AUTHORISATION', 'AuthorisationNotificationRequest'],
    ['CAPTURE', 'CaptureNotificationRequest'],
    ['CAPTURE_FAILED', 'RefundCaptureFailedNotificationRequest'],
    ['REFUND', 'RefundNotificationRequest'],
    ['REFUND_FAILED', 'RefundCaptureFailedNotificationRequest'],
    ['CANCELLATION', 'CancellationNotificationRequest'],
  ])('accepts a signed %s notification, written as Adyen publishes it (%s)', (eventCode, schema) => {
    const body = notificationBody([item({ eventCode, success: true, pspReference: 'PAYPSP0000000001', ...(eventCode === 'AUTHORISATION' ? {} : { originalReference: 'PAYPSP0000000001' }) })]);
    expect(webhooks.problems(schema, JSON.parse(body))).toEqual([]);
    expect(verifyNotification(body, KEY).ok).toBe(true);
  });

  it('one tampered item, a missing signature or another key → bad_signature, nothing returned', () => {
    const good = item({ eventCode: 'CAPTURE', success: true, originalReference: 'PAYPSP0000000001', merchantReference: 'att_abc_1.capture' });
    const tampered = { ...item({ eventCode: 'REFUND', success: true, originalReference: 'PAYPSP0000000001', merchantReference: 're_1' }), amount: { value: 999_999, currency: 'EUR' } };
    expect(verifyNotification(notificationBody([good, tampered]), KEY)).toMatchObject({ ok: false, reason: 'bad_signature' });
    const { additionalData: _signature, ...unsigned } = good;
    expect(verifyNotification(notificationBody([unsigned as never]), KEY)).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(verifyNotification(notificationBody([good]), 'AA'.repeat(32))).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('not JSON, or not notification items → malformed', () => {
    expect(verifyNotification('pspReference=1&eventCode=CAPTURE', KEY)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyNotification('{"live":"false"}', KEY)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyNotification('{"notificationItems":[{"Other":{}}]}', KEY)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('the reply Adyen expects: 200 [accepted]', () => {
    expect(ADYEN_NOTIFICATION_REPLY).toEqual({ status: 200, contentType: 'text/plain', body: '[accepted]' });
  });
});

describe('adyen notifications: facts', () => {
  it('AUTHORISATION true → authorized (attempt from merchantReference), false → authorization_failed with the mapped reason', () => {
    expect(facts({ eventCode: 'AUTHORISATION', success: true, pspReference: 'PAYPSP0000000001' })).toEqual([
      { eventId: 'PAYPSP0000000001:AUTHORISATION:true', kind: 'authorized', attemptId: 'att_abc_1', operationId: null, providerReference: 'PAYPSP0000000001', amount: 1000, currency: 'EUR', captured: false, code: null, message: null },
    ]);
    expect(facts({ eventCode: 'AUTHORISATION', success: false, pspReference: 'PAYPSP0000000002', merchantReference: 'att_x_2', reason: '3D Not Authenticated' })).toEqual([
      expect.objectContaining({ eventId: 'PAYPSP0000000002:AUTHORISATION:false', kind: 'authorization_failed', attemptId: 'att_x_2', code: 'authentication_failed', message: '3D Not Authenticated' }),
    ]);
    expect(facts({ eventCode: 'AUTHORISATION', success: false, pspReference: 'P', reason: 'Not enough balance' })[0]!.code).toBe('insufficient_funds');
  });

  it('modifications: the operation id from merchantReference (the reference this leaf sent), the payment from originalReference', () => {
    const capture = facts({ eventCode: 'CAPTURE', success: true, originalReference: 'PAYPSP0000000001', merchantReference: 'att_abc_1.capture', amount: { value: 600, currency: 'EUR' } });
    expect(capture).toEqual([
      { eventId: 'MODPSP0000000001:CAPTURE:true', kind: 'captured', attemptId: 'att_abc_1', operationId: 'att_abc_1.capture', providerReference: 'PAYPSP0000000001', amount: 600, currency: 'EUR', code: null, message: null },
    ]);
    const refund = facts({ eventCode: 'REFUND', success: true, originalReference: 'PAYPSP0000000001', merchantReference: 're_9' });
    expect(refund[0]).toMatchObject({ kind: 'refunded', operationId: 're_9', attemptId: 'att_abc_1', providerReference: 'PAYPSP0000000001' });
    // A refund of a payment this process does not know: the attempt is not said, the operation id is.
    expect(facts({ eventCode: 'REFUND', success: true, originalReference: 'OTHERPSP00000001', merchantReference: 're_10' })[0]).toMatchObject({ attemptId: null, operationId: 're_10' });
    // Made without a reference (Customer Area): Adyen echoes the payment's reference, the attempt id.
    expect(facts({ eventCode: 'CANCELLATION', success: true, originalReference: 'PAYPSP0000000001', merchantReference: 'att_abc_1' })[0]).toMatchObject({ kind: 'cancelled', attemptId: 'att_abc_1', operationId: null });
  });

  it.each([
    ['CAPTURE', false, 'capture_failed'],
    ['CAPTURE_FAILED', true, 'capture_failed'],
    ['CANCELLATION', false, 'cancel_failed'],
    ['REFUND', false, 'refund_failed'],
    ['REFUND_FAILED', true, 'refund_failed'],
  ] as const)('%s success=%s → %s with a code and the reason', (eventCode, success, kind) => {
    const [fact] = facts({ eventCode, success, originalReference: 'PAYPSP0000000001', merchantReference: 'att_abc_1.void', reason: 'Insufficient balance on payment' });
    expect(fact).toMatchObject({ kind, code: 'processing_error', message: 'Insufficient balance on payment', eventId: `MODPSP0000000001:${eventCode}:${success}` });
  });

  it('CANCEL_OR_REFUND says which it did; chargebacks open a dispute; other event codes give no facts', () => {
    const refunded = item({ eventCode: 'CANCEL_OR_REFUND', success: true, originalReference: 'PAYPSP0000000001', merchantReference: 'att_abc_1', additionalData: { 'modification.action': 'refund' } });
    expect(factsFromItem(refunded, known)[0]).toMatchObject({ kind: 'refunded' });
    expect(facts({ eventCode: 'CANCEL_OR_REFUND', success: true, originalReference: 'PAYPSP0000000001', additionalData: { 'modification.action': 'cancel' } })[0]!.kind).toBe('cancelled');
    for (const eventCode of ['CHARGEBACK', 'NOTIFICATION_OF_CHARGEBACK']) {
      expect(facts({ eventCode, success: true, pspReference: 'DISPUTE000000001', originalReference: 'PAYPSP0000000001', reason: 'Fraud' })[0]).toMatchObject({ kind: 'dispute_opened', attemptId: 'att_abc_1', operationId: null, providerReference: 'PAYPSP0000000001' });
    }
    for (const eventCode of ['REPORT_AVAILABLE', 'PENDING', 'CHARGEBACK_REVERSED', 'OFFER_CLOSED']) expect(facts({ eventCode, success: true })).toEqual([]);
  });
  it('CANCEL_OR_REFUND: the unsigned modification.action gives way to what the signed reference and the journal know', () => {
    const cancelOrRefund = (merchantReference: string, action: string) =>
      facts({ eventCode: 'CANCEL_OR_REFUND', success: true, originalReference: 'PAYPSP0000000001', merchantReference, additionalData: { 'modification.action': action } })[0]!;
    // An operation id this leaf sent as a void, with an action edited to "refund" (additionalData is not signed).
    expect(cancelOrRefund('att_abc_1.void', 'refund')).toMatchObject({ kind: 'cancelled', attemptId: 'att_abc_1', operationId: 'att_abc_1.void' });
    // The journal sent re_known as a refund.
    expect(cancelOrRefund('re_known', 'cancel')).toMatchObject({ kind: 'refunded', attemptId: 'att_abc_1', operationId: 're_known' });
    // Nothing known: Adyen's action decides.
    expect(cancelOrRefund('re_other', 'refund').kind).toBe('refunded');
    expect(cancelOrRefund('re_other', 'cancel').kind).toBe('cancelled');
  });

  it('TECHNICAL_CANCEL (the answer to a cancel by payment reference) → cancelled / cancel_failed with the operation id', () => {
    expect(facts({ eventCode: 'TECHNICAL_CANCEL', success: true, originalReference: 'PAYPSP0000000001', merchantReference: 'att_abc_1.void' })[0]).toMatchObject({ kind: 'cancelled', attemptId: 'att_abc_1', operationId: 'att_abc_1.void' });
    expect(facts({ eventCode: 'TECHNICAL_CANCEL', success: false, merchantReference: 'att_abc_1.void', reason: 'Cancel failed' })[0]).toMatchObject({ kind: 'cancel_failed', attemptId: 'att_abc_1', code: 'processing_error' });
  });
});
