import { attemptIdFor, contextWithTimeout, maskCard, type AuthorizeRequest, type NodeContext, type StoredCredential } from '#gateway-spi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForm } from '../fake/form.js';
import { FAKE_SECRET_KEY, StripeFake } from '../fake/stripe.fake.js';
import { createStripeClient } from './stripe.client.js';
import { StripeNode } from './stripe.node.js';
import { parseStripeOptions } from './stripe.options.js';

let fake: StripeFake;
let stripe: StripeNode;
const ctx = (ms = 3000): NodeContext => contextWithTimeout(ms, { traceId: 'stripe-stored-credential-spec' });
let n = 0;

function payment(number: string, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const paymentId = `pay_sc${++n}`;
  const card = { number, expMonth: 12, expYear: 2031, cvc: '123' };
  return { paymentId, attemptId: attemptIdFor(paymentId, 1), attemptSeq: 1, merchantId: 'm', amount: 1000, currency: 'EUR', capture: false, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {}, ...over };
}

const FIRST: StoredCredential = { usage: 'first', model: 'recurring', networkTransactionId: null };
/** A merchant-initiated subsequent payment with the first one's id, which another provider may have answered. */
const mit = (number: string, networkTransactionId: string | null, over: Partial<AuthorizeRequest> = {}) =>
  payment(number, { initiator: 'merchant', storedCredential: { usage: 'subsequent', model: 'recurring', networkTransactionId }, ...over });
/** A network transaction id as another provider answered it (not one this fake made). */
const FROM_ANOTHER_PROVIDER = '016153570198200';

const createOf = (attemptId: string) => fake.createBodies().filter((body) => (body.metadata as Record<string, string>).canopy_attempt_id === attemptId);
const intentsOf = (attemptId: string) => [...fake.intents.values()].filter((pi) => pi.metadata.canopy_attempt_id === attemptId);

beforeAll(async () => {
  fake = await StripeFake.start();
  const parsed = parseStripeOptions({ secret_key_env: 'UNUSED', api_base: fake.url, search_lag_ms: 0 });
  stripe = new StripeNode('stripe-1', parsed.options, { client: createStripeClient({ secretKey: FAKE_SECRET_KEY, apiBase: fake.url }) });
});
afterAll(() => fake.close());

describe('stripe node: a first stored-credential payment', () => {
  it('is sent with setup_future_usage off_session and answers the charge\'s network transaction id', async () => {
    const req = payment('4242424242424242', { storedCredential: FIRST });
    const outcome = await stripe.authorize(req, ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', providerReference: expect.stringMatching(/^pi_/), networkTransactionId: expect.stringMatching(/^\d{15}$/) });
    const seen = fake.storedCredentialOf(outcome.providerReference!)!;
    expect(seen.networkTransactionId).toBe(outcome.networkTransactionId);
    expect(seen.received).toEqual({ offSession: false, setupFutureUsage: 'off_session', setupCredentialUsage: 'recurring', storedCredentialUsage: null, mitNetworkTransactionId: null });
    expect(fake.intents.get(outcome.providerReference!)!.setup_future_usage).toBe('off_session');
    expect(createOf(req.attemptId)[0]).toMatchObject({ setup_future_usage: 'off_session', expand: ['latest_charge'] });
  });

  it('with a 3-D Secure card and the shopper there: requires_action as any customer-initiated payment', async () => {
    const outcome = await stripe.authorize(payment('4000000000003220', { storedCredential: FIRST, returnUrl: 'https://pay.example.test/return' }), ctx());
    expect(outcome).toMatchObject({ outcome: 'requires_action', nextAction: { type: 'redirect_to_url' } });
    expect(outcome).not.toHaveProperty('networkTransactionId');
  });

  it('a one-off payment answers no network transaction id and sends no stored-credential field', async () => {
    const req = payment('4242424242424242');
    const outcome = await stripe.authorize(req, ctx());
    expect(outcome.outcome).toBe('approved');
    expect(outcome).not.toHaveProperty('networkTransactionId');
    expect(fake.storedCredentialOf(outcome.providerReference!)!.received).toEqual({ offSession: false, setupFutureUsage: null, setupCredentialUsage: null, storedCredentialUsage: null, mitNetworkTransactionId: null });
  });
});

describe('stripe node: a first stored-credential payment approved after its authorize', () => {
  const RETURN_URL = 'https://pay.example.test/return';
  const address = (req: AuthorizeRequest, providerReference: string | null) => ({ path: ['stripe-1'], attemptId: req.attemptId, providerReference });
  /** The shopper on Stripe's authentication page: the button pressed, then the return URL's query (the return data). */
  async function authenticate(pageUrl: string, choice: 'complete' | 'fail' = 'complete'): Promise<Record<string, string>> {
    const answer = await fetch(pageUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ choice }), redirect: 'manual' });
    expect(answer.status).toBe(303);
    return Object.fromEntries(new URL(answer.headers.get('location')!).searchParams);
  }
  const requestsSince = (before: number) => fake.server.requests.slice(before).map((r) => `${r.method} ${r.path}${r.query.size > 0 ? `?${r.query}` : ''}`);
  const retrieveExpanded = (id: string) => `GET /v1/payment_intents/${id}?${new URLSearchParams({ 'expand[0]': 'latest_charge' })}`;

  it('3-D Secure: the shopper completes the challenge → completeAction answers the charge\'s network transaction id, in one retrieve', async () => {
    const req = payment('4000000000003220', { storedCredential: FIRST, returnUrl: RETURN_URL });
    const auth = await stripe.authorize(req, ctx());
    expect(auth.outcome).toBe('requires_action');
    const returnData = await authenticate(auth.nextAction!.url);
    const before = fake.server.requests.length;
    const done = await stripe.completeAction({ ...address(req, auth.providerReference), returnData }, ctx());
    const seen = fake.storedCredentialOf(auth.providerReference!)!;
    expect(seen.networkTransactionId).toMatch(/^\d{15}$/);
    expect(done).toMatchObject({ state: 'approved', amountAuthorized: 1000, providerReference: auth.providerReference, networkTransactionId: seen.networkTransactionId });
    expect(requestsSince(before)).toEqual([retrieveExpanded(auth.providerReference!)]);
    // status (reconciliation) says the same.
    expect(await stripe.status(address(req, auth.providerReference), ctx())).toEqual(done);
  });

  it('3-D Secure, captured at once: the id too, with the refunds listed as for any sale', async () => {
    const req = payment('4000002500003155', { storedCredential: FIRST, returnUrl: RETURN_URL, capture: true });
    const auth = await stripe.authorize(req, ctx());
    const returnData = await authenticate(auth.nextAction!.url);
    const before = fake.server.requests.length;
    const done = await stripe.completeAction({ ...address(req, auth.providerReference), returnData }, ctx());
    expect(done).toMatchObject({ state: 'approved', amountCaptured: 1000, networkTransactionId: fake.storedCredentialOf(auth.providerReference!)!.networkTransactionId });
    expect(requestsSince(before).map((line) => line.replace(/\?.*$/, ''))).toEqual([`GET /v1/payment_intents/${auth.providerReference}`, 'GET /v1/refunds']);
  });

  it('3-D Secure refused (by the shopper, or by the issuer after it): declined, no id', async () => {
    for (const [number, choice] of [['4000000000003220', 'fail'], ['4000008400001629', 'complete']] as const) {
      const req = payment(number, { storedCredential: FIRST, returnUrl: RETURN_URL });
      const auth = await stripe.authorize(req, ctx());
      const done = await stripe.completeAction({ ...address(req, auth.providerReference), returnData: await authenticate(auth.nextAction!.url, choice) }, ctx());
      expect(done.state, number).toBe('declined');
      expect(done).not.toHaveProperty('networkTransactionId');
    }
  });

  it('a lost reply: status finds the PaymentIntent by search and reads its charge once (one retrieve) for the id', async () => {
    const req = payment('4000000000000101', { storedCredential: FIRST });
    expect((await stripe.authorize(req, ctx(200))).outcome).toBe('unknown');
    const before = fake.server.requests.length;
    const status = await stripe.status(address(req, null), ctx());
    const [intent] = intentsOf(req.attemptId);
    expect(status).toMatchObject({ state: 'approved', amountAuthorized: 1000, providerReference: intent!.id, networkTransactionId: fake.storedCredentialOf(intent!.id)!.networkTransactionId });
    expect(status.networkTransactionId).toMatch(/^\d{15}$/);
    expect(requestsSince(before).map((line) => line.replace(/\?query=.*$/, ''))).toEqual(['GET /v1/payment_intents/search', retrieveExpanded(intent!.id)]);
  });

  it('the retrieve of the charge unanswered: status still answers the money, without an id (never a made-up null)', async () => {
    const req = payment('4000000000000101', { storedCredential: FIRST });
    expect((await stripe.authorize(req, ctx(200))).outcome).toBe('unknown');
    fake.server.inject({ kind: 'error-before', status: 500, body: { error: { type: 'api_error', message: 'An unknown error occurred' } }, match: (r) => r.method === 'GET' && r.path.startsWith('/v1/payment_intents/pi_') });
    const status = await stripe.status(address(req, null), ctx());
    expect(status).toMatchObject({ state: 'approved', amountAuthorized: 1000 });
    expect(status).not.toHaveProperty('networkTransactionId');
  });

  it('a one-off payment (no stored credential) answers none: completed after 3-D Secure, or settled after a lost reply, with no extra request', async () => {
    const req = payment('4000000000003220', { returnUrl: RETURN_URL });
    const auth = await stripe.authorize(req, ctx());
    const done = await stripe.completeAction({ ...address(req, auth.providerReference), returnData: await authenticate(auth.nextAction!.url) }, ctx());
    expect(done.state).toBe('approved');
    expect(done).not.toHaveProperty('networkTransactionId');
    const lost = payment('4000000000000101');
    expect((await stripe.authorize(lost, ctx(200))).outcome).toBe('unknown');
    const before = fake.server.requests.length;
    const status = await stripe.status(address(lost, null), ctx());
    expect(status.state).toBe('approved');
    expect(status).not.toHaveProperty('networkTransactionId');
    expect(requestsSince(before).map((line) => line.replace(/\?.*$/, ''))).toEqual(['GET /v1/payment_intents/search']);
  });
});

describe('stripe node: a merchant-initiated subsequent payment', () => {
  it('sends off_session, the model and the first payment\'s id (from another provider) as mit_exemption; a challenge card is approved without the shopper', async () => {
    const req = mit('4000002500003155', FROM_ANOTHER_PROVIDER, { returnUrl: 'https://pay.example.test/return' });
    const outcome = await stripe.authorize(req, ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', networkTransactionId: expect.stringMatching(/^\d{15}$/) });
    expect(outcome).not.toHaveProperty('nextAction');
    expect(outcome.networkTransactionId).not.toBe(FROM_ANOTHER_PROVIDER);
    const seen = fake.storedCredentialOf(outcome.providerReference!)!;
    expect(seen).toEqual({
      received: { offSession: true, setupFutureUsage: null, setupCredentialUsage: null, storedCredentialUsage: 'recurring', mitNetworkTransactionId: FROM_ANOTHER_PROVIDER },
      networkTransactionId: outcome.networkTransactionId,
    });
    const [body] = createOf(req.attemptId);
    expect(body).toMatchObject({ off_session: 'true', error_on_requires_action: 'true', payment_method_options: { card: { mit_exemption: { network_transaction_id: FROM_ANOTHER_PROVIDER } } } });
    expect(body).not.toHaveProperty('return_url');
    expect(fake.eventsOf(outcome.providerReference!).map((e) => e.type)).not.toContain('payment_intent.requires_action');
  });

  it('chains: the id a first payment answered is what the next one is sent with', async () => {
    const first = await stripe.authorize(payment('5555555555554444', { storedCredential: FIRST }), ctx());
    const next = await stripe.authorize(mit('5555555555554444', first.networkTransactionId!), ctx());
    expect(next.outcome).toBe('approved');
    expect(fake.storedCredentialOf(next.providerReference!)!.received.mitNetworkTransactionId).toBe(first.networkTransactionId);
  });

  it('without the first payment\'s id, a card that wants authentication is declined authentication_required, never requires_action', async () => {
    const outcome = await stripe.authorize(mit('4000002500003155', null, { returnUrl: 'https://pay.example.test/return' }), ctx());
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false, amountCaptured: 0 });
    expect(outcome).not.toHaveProperty('nextAction');
    expect(outcome).not.toHaveProperty('networkTransactionId');
    expect(fake.intents.get(outcome.providerReference!)!.status).toBe('requires_payment_method');
  });

  it('a card that wants authentication on every payment (4000002760003184) is declined authentication_required even with the id', async () => {
    const outcome = await stripe.authorize(mit('4000002760003184', FROM_ANOTHER_PROVIDER), ctx());
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'authentication_required' });
    expect(outcome).not.toHaveProperty('nextAction');
  });

  it('an issuer decline stays what it is', async () => {
    expect(await stripe.authorize(mit('4000000000009995', FROM_ANOTHER_PROVIDER), ctx())).toMatchObject({ outcome: 'declined', code: 'insufficient_funds' });
  });
});

describe('stripe node: stored-credential replays', () => {
  it('a first sent again with its attempt id is Stripe\'s replay: one PaymentIntent, the same network transaction id', async () => {
    const req = payment('4242424242424242', { storedCredential: FIRST });
    const once = await stripe.authorize(req, ctx());
    const again = await stripe.authorize(req, ctx());
    expect(again).toMatchObject({ outcome: 'approved', providerReference: once.providerReference, networkTransactionId: once.networkTransactionId });
    expect(intentsOf(req.attemptId)).toHaveLength(1);
    expect(fake.replies().at(-1)!.headers?.['idempotent-replayed']).toBe('true');
  });

  it('a MIT sent again: the same answer, one charge; sent again with another id it is refused (not retryable: the first may have charged)', async () => {
    const req = mit('4000002500003155', FROM_ANOTHER_PROVIDER);
    const once = await stripe.authorize(req, ctx());
    const again = await stripe.authorize(req, ctx());
    expect(again).toEqual({ ...once, attempts: [{ ...once.attempts[0]!, latencyMs: again.attempts[0]!.latencyMs }] });
    expect(intentsOf(req.attemptId)).toHaveLength(1);
    const changed = await stripe.authorize({ ...req, storedCredential: { ...req.storedCredential!, networkTransactionId: '999999999999999' } }, ctx());
    expect(changed).toMatchObject({ outcome: 'failed', code: 'processing_error', retryable: false });
    expect(intentsOf(req.attemptId)).toHaveLength(1);
  });

  it('a declined MIT replays declined', async () => {
    const req = mit('4000002500003155', null);
    const once = await stripe.authorize(req, ctx());
    expect(await stripe.authorize(req, ctx())).toMatchObject({ outcome: once.outcome, code: 'authentication_required', providerReference: once.providerReference });
  });
});

describe('stripe node: a malformed stored credential', () => {
  it('is failed processing_error, retryable, and nothing is sent', async () => {
    const before = fake.server.requests.length;
    const outcome = await stripe.authorize(payment('4242424242424242', { storedCredential: { usage: 'subsequent', model: 'weekly' as never, networkTransactionId: null } }), ctx());
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'processing_error', retryable: true, amountCaptured: 0 });
    expect(fake.server.requests.length).toBe(before);
  });
});

describe('stripe fake: what the wire carried', () => {
  it('the body of a MIT is Stripe form encoding of the fields (for an end-to-end check to assert)', async () => {
    const req = mit('4242424242424242', FROM_ANOTHER_PROVIDER);
    await stripe.authorize(req, ctx());
    const raw = fake.server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents').at(-1)!.body;
    expect(raw).toContain(`payment_method_options[card][mit_exemption][network_transaction_id]=${FROM_ANOTHER_PROVIDER}`);
    expect(parseForm(raw)).toMatchObject({ off_session: 'true', payment_method_options: { card: { stored_credential_usage: 'recurring' } } });
  });
});
