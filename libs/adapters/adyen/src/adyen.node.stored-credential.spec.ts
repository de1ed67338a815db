import { contextWithTimeout, maskCard, type AuthorizeRequest, type NextAction, type StoredCredential } from '#gateway-spi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdyenFake, type AdyenFake } from '../fake/adyen.fake.js';
import { createAdyenCheckout, type AdyenCheckout } from './adyen.client.js';
import { AdyenNode } from './adyen.node.js';
import { parseAdyenOptions } from './adyen.options.js';

const ctx = (ms = 5000) => contextWithTimeout(ms, { traceId: 't' });
const RETURN_URL = 'http://127.0.0.1:9/v1/payments/return?p=1';
/** A network transaction id another provider answered for the first payment (any scheme id will do). */
const FOREIGN_NETWORK_ID = '583927461029384';
let seq = 0;
function payment(number: string, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const card = { number, expMonth: 3, expYear: 2030, cvc: '737' };
  const id = `sc${++seq}`;
  return { paymentId: `pay_${id}`, attemptId: `att_${id}_1`, attemptSeq: 1, merchantId: 'm', amount: 1000, currency: 'EUR', capture: false, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {}, ...over };
}
const first = (model: StoredCredential['model'] = 'unscheduled'): StoredCredential => ({ usage: 'first', model, networkTransactionId: null });
const subsequent = (networkTransactionId: string | null, model: StoredCredential['model'] = 'recurring'): StoredCredential => ({ usage: 'subsequent', model, networkTransactionId });
/** A merchant-initiated charge of a stored card, as the root would send it (its return URL included: the leaf must not use it). */
const mit = (number: string, networkTransactionId: string | null, over: Partial<AuthorizeRequest> = {}) =>
  payment(number, { initiator: 'merchant', storedCredential: subsequent(networkTransactionId), returnUrl: RETURN_URL, ...over });

describe('adyen node against the fake: stored credentials', () => {
  let fake: AdyenFake;
  let node: AdyenNode;
  let configuredReturnUrl: string;

  beforeAll(async () => {
    fake = await startAdyenFake({ apiKey: 'key-sc', merchantAccount: 'CanopyTest' });
    const parsed = parseAdyenOptions({ api_key_env: 'K', merchant_account: 'CanopyTest', api_base: fake.url }).options;
    configuredReturnUrl = parsed.returnUrl;
    node = new AdyenNode('ady', parsed, { checkout: createAdyenCheckout(parsed, 'key-sc') });
  });
  afterAll(() => fake.close());

  const sent = (attemptId: string) => fake.bodies('/v72/payments').filter((body) => (body as { reference?: string }).reference === attemptId) as Array<Record<string, any>>;

  it('first (customer-initiated): Ecommerce with the model; approved with the network transaction id Adyen answered; a replay answers the same', async () => {
    const req = payment('4111111111111111', { storedCredential: first('unscheduled'), returnUrl: RETURN_URL });
    const outcome = await node.authorize(req, ctx());
    const held = fake.paymentByReference(req.attemptId)!;
    expect(held).toMatchObject({ shopperInteraction: 'Ecommerce', shopperAsked: false, storedCredential: { recurringProcessingModel: 'UnscheduledCardOnFile', merchantInitiated: false, receivedNetworkTxReference: null } });
    expect(held.storedCredential!.networkTxReference).toMatch(/^\d{15}$/);
    expect(outcome).toMatchObject({ outcome: 'approved', networkTransactionId: held.storedCredential!.networkTxReference, providerReference: held.pspReference });
    // The same attempt again: Adyen's stored answer under the same key, the same id, no second payment.
    const again = await node.authorize(req, ctx());
    expect(again).toMatchObject({ outcome: 'approved', networkTransactionId: outcome.networkTransactionId, providerReference: outcome.providerReference });
    expect([...fake.payments.values()].filter((p) => p.reference === req.attemptId)).toHaveLength(1);
    expect(sent(req.attemptId)).toHaveLength(2);
  });

  it('first recurring: Subscription; a one-off payment carries no network transaction id', async () => {
    const req = payment('5555555555554444', { storedCredential: first('recurring'), capture: true });
    const outcome = await node.authorize(req, ctx());
    expect(fake.paymentByReference(req.attemptId)!.storedCredential!.recurringProcessingModel).toBe('Subscription');
    expect(outcome).toMatchObject({ outcome: 'approved', amountCaptured: 1000, networkTransactionId: fake.paymentByReference(req.attemptId)!.storedCredential!.networkTxReference });
    const oneOff = await node.authorize(payment('4111111111111111'), ctx());
    expect(oneOff.outcome).toBe('approved');
    expect(oneOff).not.toHaveProperty('networkTransactionId');
  });

  it('subsequent merchant-initiated: ContAuth, the model, the raw card and another provider\'s network id; a challenge card is not challenged; never asks the shopper', async () => {
    const req = mit('4917610000000000', FOREIGN_NETWORK_ID);
    const outcome = await node.authorize(req, ctx());
    const held = fake.paymentByReference(req.attemptId)!;
    expect(held).toMatchObject({
      shopperInteraction: 'ContAuth',
      shopperAsked: false,
      resultCode: 'Authorised',
      storedCredential: { recurringProcessingModel: 'Subscription', merchantInitiated: true, receivedNetworkTxReference: FOREIGN_NETWORK_ID },
    });
    expect(outcome).toMatchObject({ outcome: 'approved', code: null, networkTransactionId: held.storedCredential!.networkTxReference });
    expect(outcome).not.toHaveProperty('nextAction');
    const [body] = sent(req.attemptId);
    expect(body).toMatchObject({ paymentMethod: { type: 'scheme', number: '4917610000000000' }, returnUrl: configuredReturnUrl, authenticationData: { attemptAuthentication: 'never' } });
    expect(JSON.stringify(body)).not.toContain('127.0.0.1:9');
    // Replayed: the same answer and id, still one payment at Adyen.
    const again = await node.authorize(req, ctx());
    expect(again).toMatchObject({ outcome: 'approved', providerReference: outcome.providerReference, networkTransactionId: outcome.networkTransactionId });
    expect([...fake.payments.values()].filter((p) => p.reference === req.attemptId)).toHaveLength(1);
  });

  it('subsequent merchant-initiated, unscheduled, first id unknown: sent without networkTxReference; a refused card is declined without an id', async () => {
    const req = mit('4111111111111111', null, { storedCredential: subsequent(null, 'unscheduled') });
    expect(await node.authorize(req, ctx())).toMatchObject({ outcome: 'approved' });
    expect(fake.paymentByReference(req.attemptId)!.storedCredential).toMatchObject({ recurringProcessingModel: 'UnscheduledCardOnFile', merchantInitiated: true, receivedNetworkTxReference: null });
    const declined = await node.authorize(mit('4000000000009995', FOREIGN_NETWORK_ID), ctx());
    expect(declined).toMatchObject({ outcome: 'declined', code: 'insufficient_funds' });
    expect(declined).not.toHaveProperty('networkTransactionId');
  });

  it('a first payment cannot be merchant-initiated: failed processing_error, retryable, nothing sent', async () => {
    const req = payment('4111111111111111', { initiator: 'merchant', storedCredential: first() });
    expect(await node.authorize(req, ctx())).toMatchObject({ outcome: 'failed', code: 'processing_error', retryable: true, amountCaptured: 0 });
    expect(sent(req.attemptId)).toEqual([]);
  });
});

/** The shopper on the fake's challenge page: submits its form with the first button, answers the return URL's query (the return data). */
async function shopperCompletes(action: NextAction): Promise<Record<string, string>> {
  const page = await (await fetch(action.url)).text();
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(page)!;
  const fields = new URLSearchParams();
  for (const input of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.set(input[1]!, input[2]!);
  const button = /<button[^>]*type="submit"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/.exec(form[2]!)!;
  fields.set(button[1]!, button[2]!);
  const res = await fetch(form[1]!.replace(/&#38;/g, '&'), { method: 'POST', body: fields, redirect: 'manual' });
  expect(res.status).toBe(303);
  return Object.fromEntries(new URL(res.headers.get('location')!).searchParams);
}

describe('adyen node against the fake: a first stored-credential payment approved after its authorize', () => {
  const HMAC_KEY = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';
  const RETURN_KEY = Buffer.from('the node return key');
  let fake: AdyenFake;
  let node: AdyenNode;
  /** A node of the same leaf in another process (or after a restart): an empty journal. */
  const fresh = () => {
    const parsed = parseAdyenOptions({ api_key_env: 'K', merchant_account: 'CanopyTest', api_base: fake.url }).options;
    return new AdyenNode('ady', parsed, { checkout: createAdyenCheckout(parsed, 'key-late'), returnKey: RETURN_KEY, hmacKey: HMAC_KEY });
  };
  const address = (req: AuthorizeRequest, providerReference: string | null) => ({ path: ['ady'], attemptId: req.attemptId, providerReference });
  const answeredId = (req: AuthorizeRequest) => fake.paymentByReference(req.attemptId)!.storedCredential!.networkTxReference;

  beforeAll(async () => {
    fake = await startAdyenFake({ apiKey: 'key-late', merchantAccount: 'CanopyTest', hmacKey: HMAC_KEY });
    node = fresh();
  });
  afterAll(() => fake.close());

  it('3-D Secure: completeAction answers the networkTxReference of Adyen\'s /payments/details answer; status too, and another process with only the return data', async () => {
    const req = payment('4917610000000000', { storedCredential: first('recurring'), returnUrl: RETURN_URL });
    const auth = await node.authorize(req, ctx());
    expect(auth.outcome).toBe('requires_action');
    expect(auth).not.toHaveProperty('networkTransactionId');
    const returnData = await shopperCompletes(auth.nextAction!);
    const done = await node.completeAction({ ...address(req, auth.providerReference), returnData }, ctx());
    expect(answeredId(req)).toMatch(/^\d{15}$/);
    expect(done).toMatchObject({ state: 'approved', amountAuthorized: 1000, networkTransactionId: answeredId(req) });
    expect(await node.status(address(req, done.providerReference), ctx())).toEqual(done);
    // Another process: the replayed details answer carries the id, though that node cannot know the payment stored a card.
    expect(await fresh().completeAction({ ...address(req, null), returnData }, ctx())).toEqual(done);
    expect(fake.bodies('/v72/payments/details')).toHaveLength(2);
  });

  it('3-D Secure refused by the issuer after the challenge: declined, no id', async () => {
    const req = payment('4000008400001629', { storedCredential: first(), returnUrl: RETURN_URL });
    const auth = await node.authorize(req, ctx());
    const done = await node.completeAction({ ...address(req, auth.providerReference), returnData: await shopperCompletes(auth.nextAction!) }, ctx());
    expect(done.state).toBe('declined');
    expect(done).not.toHaveProperty('networkTransactionId');
  });

  it('a lost reply: status replays /payments under the attempt\'s key and answers the id Adyen gave; another process too', async () => {
    const req = payment('4000000000000101', { storedCredential: first() });
    expect((await node.authorize(req, ctx(300))).outcome).toBe('unknown');
    const status = await node.status(address(req, null), ctx());
    expect(answeredId(req)).toMatch(/^\d{15}$/);
    expect(status).toMatchObject({ state: 'approved', amountAuthorized: 1000, networkTransactionId: answeredId(req) });
    expect(await fresh().status(address(req, null), ctx())).toEqual(status);
  });

  it('a lost reply that a notification settles first: status still asks Adyen\'s stored answer (once) for the id', async () => {
    const req = payment('4000000000000101', { storedCredential: first() });
    expect((await node.authorize(req, ctx(300))).outcome).toBe('unknown');
    const held = fake.paymentByReference(req.attemptId)!;
    const notice = fake.notification({ eventId: `evt_${req.attemptId}`, kind: 'authorized', attemptId: req.attemptId, providerReference: held.pspReference, amount: 1000, currency: 'EUR' });
    expect(await node.parseNotification({ nodeId: 'ady', ...notice }, ctx())).toMatchObject({ ok: true, facts: [expect.objectContaining({ kind: 'authorized' })] });
    const probes = () => fake.bodies('/v72/payments').filter((body) => (body as { reference?: string }).reference === req.attemptId).length;
    const before = probes();
    const status = await node.status(address(req, held.pspReference), ctx());
    expect(status).toMatchObject({ state: 'approved', networkTransactionId: answeredId(req) });
    expect(await node.status(address(req, held.pspReference), ctx())).toEqual(status);
    expect(probes()).toBe(before + 1);
  });

  it('a one-off payment (no stored credential) answers none: completed after 3-D Secure, or settled after a lost reply', async () => {
    const req = payment('4917610000000000', { returnUrl: RETURN_URL });
    const auth = await node.authorize(req, ctx());
    const done = await node.completeAction({ ...address(req, auth.providerReference), returnData: await shopperCompletes(auth.nextAction!) }, ctx());
    expect(done.state).toBe('approved');
    expect(done).not.toHaveProperty('networkTransactionId');
    const lost = payment('4000000000000101');
    expect((await node.authorize(lost, ctx(300))).outcome).toBe('unknown');
    const status = await node.status(address(lost, null), ctx());
    expect(status.state).toBe('approved');
    expect(status).not.toHaveProperty('networkTransactionId');
  });
});

describe('adyen node: a merchant-initiated payment Adyen wants the shopper for anyway', () => {
  it('a RedirectShopper answer → declined authentication_required (never requires_action), with no network id', async () => {
    const checkout = {
      payments: async () => ({ resultCode: 'RedirectShopper', merchantReference: 'x', action: { type: 'redirect', method: 'GET', url: 'https://acs.example/challenge' } }),
    } as unknown as AdyenCheckout;
    const options = parseAdyenOptions({ api_key_env: 'K', merchant_account: 'CanopyTest' }).options;
    const node = new AdyenNode('ady', options, { checkout });
    const outcome = await node.authorize(mit('4111111111111111', FOREIGN_NETWORK_ID), ctx());
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false, amountCaptured: 0 });
    expect(outcome).not.toHaveProperty('nextAction');
    expect(outcome).not.toHaveProperty('networkTransactionId');
  });
});
