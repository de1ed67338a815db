import { contextWithTimeout, maskCard, type AuthorizeRequest } from '#gateway-spi';
import adyen from '@adyen/api-library';
import { PublishedSchemas } from '#provider-fakes';
import type { PaymentResponse } from '@adyen/api-library/lib/src/typings/checkout/models.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdyenCheckout } from '../src/adyen.client.js';
import { AdyenNode } from '../src/adyen.node.js';
import { parseAdyenOptions } from '../src/adyen.options.js';
import { startAdyenFake, type AdyenFake } from './adyen.fake.js';

const spec = new PublishedSchemas('adyen-CheckoutService-v72.json');
const webhookSpec = new PublishedSchemas('adyen-Webhooks-v1.json');
const WEBHOOK_SCHEMAS: Record<string, string> = {
  AUTHORISATION: 'AuthorisationNotificationRequest',
  CAPTURE: 'CaptureNotificationRequest',
  CAPTURE_FAILED: 'RefundCaptureFailedNotificationRequest',
  CANCELLATION: 'CancellationNotificationRequest',
  REFUND: 'RefundNotificationRequest',
  REFUND_FAILED: 'RefundCaptureFailedNotificationRequest',
  // The published webhooks have no schema of their own for it; it is a modification's (its event code is in the enum).
  TECHNICAL_CANCEL: 'ModificationNotificationRequest',
};
const ctx = () => contextWithTimeout(5000, { traceId: 't' });
let fake: AdyenFake;
let node: AdyenNode;
let seq = 0;

function payment(number: string, capture = false): AuthorizeRequest {
  const card = { number, expMonth: 3, expYear: 2030, cvc: '737' };
  const id = `f${++seq}`;
  return { paymentId: `pay_${id}`, attemptId: `att_${id}_1`, attemptSeq: 1, merchantId: 'm', amount: 1000, currency: 'EUR', capture, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {} };
}

beforeAll(async () => {
  fake = await startAdyenFake({ apiKey: 'fake-key', merchantAccount: 'CanopyTest', hmacKey: 'AB'.repeat(32) });
  const { options } = parseAdyenOptions({ api_key_env: 'UNUSED', merchant_account: 'CanopyTest', api_base: fake.url });
  node = new AdyenNode('adyen-fake', options, { checkout: createAdyenCheckout(options, 'fake-key') });
});
afterAll(() => fake.close());

/** Drives every kind of request through the node, so both directions below see each kind. */
async function traffic(): Promise<void> {
  for (const number of ['4111111111111111', '4000000000000002', '4917610000000000', '4000000000000119']) await node.authorize(payment(number), ctx());
  const sale = payment('5555555555554444', true);
  const sold = await node.authorize(sale, ctx());
  const address = { path: ['adyen-fake'], attemptId: sale.attemptId, providerReference: sold.providerReference };
  await node.refund({ ...address, operationId: 're_1', amount: 100, currency: 'EUR' }, ctx());
  const auth = payment('4111111111111111');
  const authorized = await node.authorize(auth, ctx());
  const authAddress = { path: ['adyen-fake'], attemptId: auth.attemptId, providerReference: authorized.providerReference };
  await node.capture({ ...authAddress, operationId: 'cap_1', amount: 600, currency: 'EUR' }, ctx());
  const other = payment('4111111111111111');
  const otherOutcome = await node.authorize(other, ctx());
  await node.void({ path: ['adyen-fake'], attemptId: other.attemptId, providerReference: otherOutcome.providerReference, operationId: 'void_1' }, ctx());
  await node.status({ path: ['adyen-fake'], attemptId: 'att_never_1', providerReference: null }, ctx());
  // 3-D Secure by redirect: the page's first button, then /payments/details with the redirect result.
  const challenged = { ...payment('4000000000003220'), returnUrl: 'http://127.0.0.1:9/return' };
  const asked = await node.authorize(challenged, ctx());
  const redirectResult = await completeChallenge(asked.nextAction!.url);
  await node.completeAction({ path: ['adyen-fake'], attemptId: challenged.attemptId, providerReference: asked.providerReference, returnData: { redirectResult } }, ctx());
  // A waiting attempt voided: Adyen's RedirectShopper carried no pspReference, so /cancels by payment reference.
  const waiting = { ...payment('4000000000003220'), returnUrl: 'http://127.0.0.1:9/return' };
  const waited = await node.authorize(waiting, ctx());
  await node.void({ path: ['adyen-fake'], attemptId: waiting.attemptId, providerReference: waited.providerReference, operationId: `${waiting.attemptId}.void` }, ctx());
  // Stored credentials: a first (customer-initiated) payment, then a merchant-initiated one sent with its network id.
  const stored = await node.authorize({ ...payment('4111111111111111'), storedCredential: { usage: 'first', model: 'unscheduled', networkTransactionId: null } }, ctx());
  const recurring = { ...payment('4917610000000000', true), initiator: 'merchant' as const, storedCredential: { usage: 'subsequent' as const, model: 'recurring' as const, networkTransactionId: stored.networkTransactionId ?? null } };
  await node.authorize(recurring, ctx());
}

/** Submits the challenge page's first button; the redirect result of the 303 back to the return URL. */
async function completeChallenge(url: string): Promise<string> {
  const page = await (await fetch(url)).text();
  const md = /name="MD" value="([^"]+)"/.exec(page)![1]!;
  const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!;
  const res = await fetch(action, { method: 'POST', body: new URLSearchParams({ MD: md, answer: 'complete' }), redirect: 'manual' });
  return new URL(res.headers.get('location')!).searchParams.get('redirectResult')!;
}

describe('adyen fake, both directions against the published Checkout v72 spec', () => {
  it('what the adapter sends conforms: PaymentRequest, PaymentCaptureRequest, PaymentCancelRequest, StandalonePaymentCancelRequest, PaymentRefundRequest', async () => {
    await traffic();
    const checks: Array<[RegExp, string]> = [
      [/^\/v72\/payments$/, 'PaymentRequest'],
      [/\/captures$/, 'PaymentCaptureRequest'],
      [/\/payments\/[^/]+\/cancels$/, 'PaymentCancelRequest'],
      [/\/refunds$/, 'PaymentRefundRequest'],
      [/^\/v72\/payments\/details$/, 'PaymentDetailsRequest'],
      [/^\/v72\/cancels$/, 'StandalonePaymentCancelRequest'],
    ];
    for (const [path, schema] of checks) {
      const bodies = fake.bodies(path);
      expect(bodies.length, schema).toBeGreaterThan(0);
      for (const body of bodies) expect(spec.problems(schema, body), schema).toEqual([]);
    }
  });

  it('what the fake answers conforms: PaymentResponse, PaymentCaptureResponse, PaymentCancelResponse, StandalonePaymentCancelResponse, PaymentRefundResponse, ServiceError', async () => {
    const replies = await Promise.all([
      answer('/v72/payments', { merchantAccount: 'CanopyTest', reference: 'r1', amount: { value: 100, currency: 'EUR' }, paymentMethod: { type: 'scheme', number: '4111111111111111' } }, 'k1'),
      answer('/v72/payments', { merchantAccount: 'CanopyTest', reference: 'r2', amount: { value: 100, currency: 'EUR' }, paymentMethod: { type: 'scheme', number: '4000000000009995' } }, 'k2'),
      answer('/v72/payments', { merchantAccount: 'CanopyTest', reference: 'r3', amount: { value: 100, currency: 'EUR' }, paymentMethod: { type: 'scheme', number: '4917610000000000' } }, 'k3'),
    ]);
    for (const reply of replies) expect(spec.problems('PaymentResponse', reply.body)).toEqual([]);
    expect(replies.map((r) => (r.body as PaymentResponse).resultCode)).toEqual(['Authorised', 'Refused', 'RedirectShopper']);
    const psp = (replies[0]!.body as PaymentResponse).pspReference!;
    const mods: Array<[string, string, unknown]> = [
      ['captures', 'PaymentCaptureResponse', { merchantAccount: 'CanopyTest', amount: { value: 50, currency: 'EUR' } }],
      ['refunds', 'PaymentRefundResponse', { merchantAccount: 'CanopyTest', amount: { value: 10, currency: 'EUR' } }],
      ['cancels', 'PaymentCancelResponse', { merchantAccount: 'CanopyTest' }],
    ];
    for (const [what, schema, body] of mods) {
      const reply = await answer(`/v72/payments/${psp}/${what}`, body, `m-${what}`);
      expect(reply.status).toBe(201);
      expect(spec.problems(schema, reply.body)).toEqual([]);
    }
    const byReference = await answer('/v72/cancels', { merchantAccount: 'CanopyTest', paymentReference: 'r3', reference: 'r3.void' }, 'm-standalone');
    expect(byReference.status).toBe(201);
    expect(byReference.body).toMatchObject({ paymentReference: 'r3', reference: 'r3.void', status: 'received' });
    expect(spec.problems('StandalonePaymentCancelResponse', byReference.body)).toEqual([]);
    const errors = [
      await answer('/v72/payments', { merchantAccount: 'CanopyTest' }, 'e1', 'wrong-key'),
      await answer('/v72/payments', { merchantAccount: 'Other' }, 'e2'),
      await answer('/v72/payments', { merchantAccount: 'CanopyTest', reference: 'r', amount: { value: 1, currency: 'EUR' }, paymentMethod: { type: 'scheme' } }, 'e3'),
    ];
    expect(errors.map((e) => e.status)).toEqual([401, 403, 422]);
    for (const error of errors) expect(spec.problems('ServiceError', error.body)).toEqual([]);
  });

  it('what the fake notifies conforms to the published webhook of its event code, and carries the SDK HMAC signature', () => {
    const sent = fake.notifications();
    const events = new Set(sent.map((n) => n.items[0]!.eventCode));
    for (const code of ['AUTHORISATION', 'CAPTURE', 'CANCELLATION', 'REFUND', 'TECHNICAL_CANCEL']) expect(events).toContain(code);
    for (const notification of sent) {
      const [item] = notification.items;
      expect(webhookSpec.problems(WEBHOOK_SCHEMAS[item!.eventCode]!, JSON.parse(notification.body)), item!.eventCode).toEqual([]);
      expect(new adyen.hmacValidator().validateHMAC(item!, 'AB'.repeat(32))).toBe(true);
      // No webhook registered in this suite: written (to replay), never delivered.
      expect(notification).toMatchObject({ url: null, attempts: 0, accepted: false });
    }
  });

  it('the redirect flow: a GET action to the fake page, /payments/details answers once per redirect result, native 3-D Secure when preferred', async () => {
    const ask = (number: string, extra: object, key: string) =>
      answer('/v72/payments', { merchantAccount: 'CanopyTest', reference: key, amount: { value: 100, currency: 'EUR' }, paymentMethod: { type: 'scheme', number }, returnUrl: 'http://127.0.0.1:9/r', ...extra }, key);
    const redirect = (await ask('4000008400001629', {}, 'd1')).body as PaymentResponse;
    expect(redirect).toMatchObject({ resultCode: 'RedirectShopper', merchantReference: 'd1', action: { type: 'redirect', method: 'GET' } });
    // v72 requires neither: Adyen's RedirectShopper answers may leave them out, and the fake does.
    expect(redirect).not.toHaveProperty('pspReference');
    expect(redirect).not.toHaveProperty('amount');
    expect(spec.problems('PaymentResponse', redirect)).toEqual([]);
    const held = [...fake.payments.values()].find((p) => p.reference === 'd1')!;
    const redirectResult = await completeChallenge((redirect.action as { url: string }).url);
    const decided = await answer('/v72/payments/details', { details: { redirectResult } }, 'd1-details');
    expect(decided.body).toMatchObject({ resultCode: 'Refused', refusalReason: '3D Not Authenticated', pspReference: held.pspReference, amount: { value: 100, currency: 'EUR' } });
    expect(spec.problems('PaymentDetailsResponse', decided.body)).toEqual([]);
    const reused = await answer('/v72/payments/details', { details: { redirectResult } }, 'd1-again');
    expect(reused.status).toBe(422);
    expect(spec.problems('ServiceError', reused.body)).toEqual([]);
    const native = (await ask('4917610000000000', { authenticationData: { threeDSRequestData: { nativeThreeDS: 'preferred' } } }, 'd2')).body as PaymentResponse;
    expect(native).toMatchObject({ resultCode: 'ChallengeShopper', action: { type: 'threeDS2' } });
    expect(spec.problems('PaymentResponse', native)).toEqual([]);
    expect(((await ask('4917610000000000', { authenticationData: { attemptAuthentication: 'never' } }, 'd3')).body as PaymentResponse).refusalReasonCode).toBe('38');
  });

  it('stored credentials: an approval asked with a recurringProcessingModel answers an invented networkTxReference; a ContAuth MIT is never challenged, a one-click (CardOnFile) is', async () => {
    const base = { merchantAccount: 'CanopyTest', amount: { value: 100, currency: 'EUR' }, returnUrl: 'http://127.0.0.1:9/r' };
    const requests: Array<[string, Record<string, unknown>]> = [
      ['sc1', { ...base, reference: 'sc1', paymentMethod: { type: 'scheme', number: '4111111111111111' }, shopperInteraction: 'Ecommerce', recurringProcessingModel: 'UnscheduledCardOnFile' }],
      ['sc3', { ...base, reference: 'sc3', paymentMethod: { type: 'scheme', number: '4917610000000000' }, shopperInteraction: 'ContAuth', recurringProcessingModel: 'CardOnFile' }],
      ['sc4', { ...base, reference: 'sc4', paymentMethod: { type: 'scheme', number: '4111111111111111' } }],
    ];
    for (const [, body] of requests) expect(spec.problems('PaymentRequest', body)).toEqual([]);
    const [cit, oneClick, oneOff] = await Promise.all(requests.map(([key, body]) => answer('/v72/payments', body, key)));
    const firstId = (cit!.body as PaymentResponse).additionalData?.networkTxReference;
    expect(cit!.body).toMatchObject({ resultCode: 'Authorised' });
    expect(firstId).toMatch(/^\d{15}$/);
    expect(oneOff!.body).not.toHaveProperty('additionalData');
    const mitBody = {
      ...base,
      reference: 'sc2',
      paymentMethod: { type: 'scheme', number: '4917610000000000' },
      shopperInteraction: 'ContAuth',
      recurringProcessingModel: 'Subscription',
      additionalData: { networkTxReference: firstId },
      authenticationData: { attemptAuthentication: 'never' },
    };
    expect(spec.problems('PaymentRequest', mitBody)).toEqual([]);
    const mit = (await answer('/v72/payments', mitBody, 'sc2')).body as PaymentResponse;
    expect(mit).toMatchObject({ resultCode: 'Authorised' });
    expect(mit.additionalData?.networkTxReference).toMatch(/^\d{15}$/);
    expect(mit.additionalData?.networkTxReference).not.toBe(firstId);
    expect(fake.paymentByReference('sc2')).toMatchObject({ shopperInteraction: 'ContAuth', shopperAsked: false, storedCredential: { merchantInitiated: true, receivedNetworkTxReference: firstId, networkTxReference: mit.additionalData?.networkTxReference } });
    for (const reply of [cit!, oneOff!, { body: mit }]) expect(spec.problems('PaymentResponse', reply.body)).toEqual([]);
    // Customer-initiated with a stored card: Adyen may still authenticate; the id comes with the details answer.
    expect(oneClick!.body).toMatchObject({ resultCode: 'RedirectShopper' });
    expect(fake.paymentByReference('sc3')).toMatchObject({ shopperAsked: true, storedCredential: { merchantInitiated: false, networkTxReference: null } });
    const redirectResult = await completeChallenge(((oneClick!.body as PaymentResponse).action as { url: string }).url);
    const decided = await answer('/v72/payments/details', { details: { redirectResult } }, 'sc3-details');
    expect(decided.body).toMatchObject({ resultCode: 'Authorised', additionalData: { networkTxReference: fake.paymentByReference('sc3')!.storedCredential!.networkTxReference } });
    expect(spec.problems('PaymentDetailsResponse', decided.body)).toEqual([]);
  });

  it('a fake answer with a renamed field fails: the published PaymentResponse refuses it, and it does not compile', () => {
    const good: PaymentResponse = { pspReference: 'ABC', resultCode: adyenAuthorised(), merchantReference: 'r' };
    expect(spec.problems('PaymentResponse', good)).toEqual([]);
    const { pspReference, ...rest } = good;
    const renamed = { ...rest, pspReferenceId: pspReference };
    expect(spec.problems('PaymentResponse', renamed).join()).toContain('additionalProperty');
    // @ts-expect-error: the SDK's own type has no `pspReferenceId`, so the fake cannot answer it.
    const typed: PaymentResponse = { pspReferenceId: 'ABC' };
    expect(typed).toBeDefined();
  });

  it('replays a stored answer by idempotency key, and a key never stored with a card-less body is refused by validation', async () => {
    const body = { merchantAccount: 'CanopyTest', reference: 'rr', amount: { value: 100, currency: 'EUR' }, paymentMethod: { type: 'scheme', number: '4111111111111111' } };
    const first = await answer('/v72/payments', body, 'replay-1');
    const probe = await answer('/v72/payments', { merchantAccount: 'CanopyTest', reference: 'rr', amount: { value: 0, currency: 'EUR' }, paymentMethod: { type: 'scheme' } }, 'replay-1');
    expect(probe).toEqual(first);
    const unknown = await answer('/v72/payments', { merchantAccount: 'CanopyTest', reference: 'rr', amount: { value: 0, currency: 'EUR' }, paymentMethod: { type: 'scheme' } }, 'never-1');
    expect(unknown.status).toBe(422);
    // The refusal is the key's answer from now on: a late original under that key cannot charge.
    expect(await answer('/v72/payments', body, 'never-1')).toEqual(unknown);
  });
});

function adyenAuthorised(): PaymentResponse['resultCode'] {
  return 'Authorised' as PaymentResponse['resultCode'];
}

/** One raw request to the fake over HTTPS (the test CA trusted via NODE_EXTRA_CA_CERTS). */
async function answer(path: string, body: unknown, idempotencyKey: string, apiKey = 'fake-key'): Promise<{ status: number; body: unknown }> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'idempotency-key': idempotencyKey } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
