import { attemptIdFor, contextWithTimeout, maskCard, type AuthorizeRequest, type NodeContext } from '#gateway-spi';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FAKE_SECRET_KEY, StripeFake } from '../fake/stripe.fake.js';
import { stripeAdapter } from './stripe.adapter.js';
import { createStripeClient } from './stripe.client.js';
import { StripeNode } from './stripe.node.js';
import { parseStripeOptions } from './stripe.options.js';

let fake: StripeFake;
const ctx = (ms = 3000): NodeContext => contextWithTimeout(ms, { traceId: 'stripe-node-spec' });
let n = 0;

function node(options: Record<string, unknown> = {}, secretKey = FAKE_SECRET_KEY): StripeNode {
  const parsed = parseStripeOptions({ secret_key_env: 'UNUSED', api_base: fake.url, search_lag_ms: 0, ...options });
  expect(parsed.problems).toEqual([]);
  return new StripeNode('stripe-1', parsed.options, { client: createStripeClient({ secretKey, apiBase: fake.url }) });
}

function payment(number = '4242424242424242', over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const paymentId = `pay_ns${++n}`;
  const card = { number, expMonth: 12, expYear: 2031, cvc: '123' };
  return { paymentId, attemptId: attemptIdFor(paymentId, 1), attemptSeq: 1, merchantId: 'm', amount: 1000, currency: 'EUR', capture: false, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {}, ...over };
}

const address = (req: AuthorizeRequest, providerReference: string | null = null) => ({ path: ['stripe-1'], attemptId: req.attemptId, providerReference });
const creates = () => fake.server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents');
const isCreate = (r: { method: string; path: string }) => r.method === 'POST' && r.path === '/v1/payment_intents';

beforeAll(async () => {
  fake = await StripeFake.start();
});
afterEach(() => {
  fake.server.clearFaults();
  fake.searchLagMs = 0;
  vi.unstubAllEnvs();
});
afterAll(() => fake.close());

describe('stripe node: idempotency keys and the deadline on the wire', () => {
  it('sends the attempt id as Idempotency-Key on authorize and each operation id on capture, void and refund', async () => {
    const stripe = node();
    const req = payment();
    const auth = await stripe.authorize(req, ctx());
    expect(auth).toMatchObject({ outcome: 'approved', providerReference: expect.stringMatching(/^pi_/) });
    await stripe.capture({ ...address(req, auth.providerReference), operationId: 'cap_ns1', amount: 400, currency: 'EUR' }, ctx());
    await stripe.refund({ ...address(req, auth.providerReference), operationId: 're_ns1', amount: 100, currency: 'EUR' }, ctx());
    const posts = fake.server.requests.filter((r) => r.method === 'POST').slice(-3);
    expect(posts.map((r) => [r.path.replace(/pi_\w+/, 'pi'), r.headers['idempotency-key']])).toEqual([
      ['/v1/payment_intents', req.attemptId],
      ['/v1/payment_intents/pi/capture', 'cap_ns1'],
      ['/v1/refunds', 're_ns1'],
    ]);
  });

  it('a reset after Stripe charged is retried once by the SDK with the same key: the replay answers approved, one charge', async () => {
    const stripe = node();
    const req = payment();
    fake.server.inject({ kind: 'reset-after', match: isCreate });
    const before = creates().length;
    expect(await stripe.authorize(req, ctx())).toMatchObject({ outcome: 'approved' });
    const sent = creates().slice(before);
    expect(sent.map((r) => r.headers['idempotency-key'])).toEqual([req.attemptId, req.attemptId]);
    expect([...fake.intents.values()].filter((pi) => pi.metadata.canopy_attempt_id === req.attemptId)).toHaveLength(1);
  });

  it('a hang after charging answers unknown provider_timeout at the deadline; status then finds it by search', async () => {
    const stripe = node();
    const req = payment();
    fake.server.inject({ kind: 'hang-after', match: isCreate });
    const started = Date.now();
    const outcome = await stripe.authorize(req, ctx(200));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false, providerReference: null });
    expect(await stripe.status(address(req), ctx())).toMatchObject({ state: 'approved', amountAuthorized: 1000, providerReference: expect.stringMatching(/^pi_/) });
  });

  it('within the search lag a lost reply is settled by listing recent PaymentIntents (no indexing delay)', async () => {
    const stripe = node({ search_lag_ms: 60_000 });
    fake.searchLagMs = 60_000;
    const req = payment('4000000000000101');
    expect((await stripe.authorize(req, ctx(150))).outcome).toBe('unknown');
    const before = fake.server.requests.length;
    expect(await stripe.status(address(req), ctx())).toMatchObject({ state: 'approved', amountAuthorized: 1000 });
    expect(fake.server.requests.slice(before).map((r) => r.path)).toEqual(['/v1/payment_intents/search', '/v1/payment_intents']);
  });

  it('within the search lag, when neither search nor list finds it, status is unknown, never not_found; after the lag, not_found', async () => {
    let now = Date.now();
    const parsed = parseStripeOptions({ secret_key_env: 'UNUSED', api_base: fake.url, search_lag_ms: 60_000 });
    const stripe = new StripeNode('stripe-1', parsed.options, { client: createStripeClient({ secretKey: FAKE_SECRET_KEY, apiBase: fake.url }), now: () => now });
    const req = payment();
    // Refused before processing: nothing exists at Stripe, but the node cannot know that from a 503.
    fake.server.inject({ kind: 'error-before', status: 503, body: { error: { type: 'api_error', message: 'unavailable' } }, match: isCreate });
    expect((await stripe.authorize(req, ctx())).outcome).toBe('unknown');
    expect(await stripe.status(address(req), ctx())).toMatchObject({ state: 'unknown', code: 'provider_timeout' });
    now += 61_000;
    expect((await stripe.status(address(req), ctx())).state).toBe('not_found');
    // An attempt this node never sent, with an empty search, is not_found at once.
    expect((await stripe.status(address(payment()), ctx())).state).toBe('not_found');
  });

  it('an aborted deadline sends nothing', async () => {
    const stripe = node();
    const before = fake.server.requests.length;
    const aborted = { ...ctx(), signal: AbortSignal.abort(), deadline: Date.now() };
    expect(await stripe.authorize(payment(), aborted)).toMatchObject({ outcome: 'failed', code: 'provider_timeout', retryable: true });
    expect(fake.server.requests.length).toBe(before);
  });
});

describe('stripe node: failures, and where the money is', () => {
  it('Stripe down (connection refused) is failed provider_unavailable, retryable; health down; status then not_found at once', async () => {
    const stripe = node({ search_lag_ms: 60_000 });
    const req = payment();
    await fake.server.down();
    try {
      expect(await stripe.authorize(req, ctx())).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
      expect(await stripe.health(ctx())).toMatchObject({ status: 'down' });
      expect(await stripe.status(address(req), ctx())).toMatchObject({ state: 'unknown', code: 'provider_unavailable' });
    } finally {
      await fake.server.up();
    }
    // The create never left, so there is no index lag to wait for.
    expect((await stripe.status(address(req), ctx())).state).toBe('not_found');
  });

  it('a 500 after processing is unknown; status settles approved', async () => {
    const stripe = node();
    const req = payment();
    fake.server.inject({ kind: 'error-after', status: 500, body: { error: { type: 'api_error', message: 'boom' } }, match: isCreate });
    expect(await stripe.authorize(req, ctx())).toMatchObject({ outcome: 'unknown', code: 'processing_error', retryable: false });
    expect((await stripe.status(address(req), ctx())).state).toBe('approved');
  });

  it('a 500 before processing is unknown too (the node cannot tell); status then says not_found once the search lag has passed', async () => {
    const stripe = node();
    const req = payment();
    fake.server.inject({ kind: 'error-before', status: 503, body: { error: { type: 'api_error', message: 'down for maintenance' } }, match: isCreate });
    expect((await stripe.authorize(req, ctx())).outcome).toBe('unknown');
    expect((await stripe.status(address(req), ctx())).state).toBe('not_found');
  });

  it('429 is failed provider_unavailable, retryable', async () => {
    fake.server.inject({ kind: 'error-before', status: 429, body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } }, match: isCreate });
    expect(await node().authorize(payment(), ctx())).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
  });

  it('a wrong key is failed provider_unavailable; neither the outcome nor health shows the key', async () => {
    const stripe = node({}, 'sk_test_wrongwrongwrong');
    const outcome = await stripe.authorize(payment(), ctx());
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
    const health = await stripe.health(ctx());
    expect(health).toMatchObject({ status: 'down' });
    expect(JSON.stringify([outcome, health, stripe.describe()])).not.toMatch(/wrongwrong|sk_test_w/);
  });

  it.each([
    ['4000000000000127', 'incorrect_cvc'],
    ['4100000000000019', 'suspected_fraud'],
    ['4000000000009979', 'stolen_card'],
    ['4000000000009987', 'stolen_card'],
    ['4242424242424241', 'invalid_card_number'],
  ])('card %s is declined %s, final, with the PaymentIntent as reference; status agrees', async (number, code) => {
    const stripe = node();
    const req = payment(number);
    expect(await stripe.authorize(req, ctx())).toMatchObject({ outcome: 'declined', code, retryable: false, providerReference: expect.stringMatching(/^pi_/) });
    expect(await stripe.status(address(req), ctx())).toMatchObject({ state: 'declined', code, amountAuthorized: 0 });
  });

  it('a 3-D Secure card without a return URL is declined authentication_required (no failover): Stripe failed it, nothing waits', async () => {
    const stripe = node();
    const req = payment('4000002500003155');
    const before = fake.server.requests.length;
    expect(await stripe.authorize(req, ctx())).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false });
    expect(fake.server.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/payment_intents']);
    expect(fake.createBodies().at(-1)).toMatchObject({ error_on_requires_action: 'true' });
    expect([...fake.intents.values()].find((pi) => pi.metadata.canopy_attempt_id === req.attemptId)?.status).toBe('requires_payment_method');
    expect(await stripe.status(address(req), ctx())).toMatchObject({ state: 'declined', code: 'authentication_required', amountAuthorized: 0 });
  });

  it('the same attempt id with another amount is refused by Stripe (idempotency_error): failed, not retryable, nothing new charged', async () => {
    const stripe = node();
    const req = payment();
    await stripe.authorize(req, ctx());
    expect(await stripe.authorize({ ...req, amount: 999 }, ctx())).toMatchObject({ outcome: 'failed', code: 'processing_error', retryable: false });
    expect([...fake.intents.values()].filter((pi) => pi.metadata.canopy_attempt_id === req.attemptId)).toHaveLength(1);
  });

  it('status by provider reference retrieves the PaymentIntent; a reference of another attempt is unknown, never its money', async () => {
    const stripe = node();
    const a = payment();
    const b = payment();
    const auth = await stripe.authorize(a, ctx());
    await stripe.authorize(b, ctx());
    const before = fake.server.requests.length;
    expect(await stripe.status(address(a, auth.providerReference), ctx())).toMatchObject({ state: 'approved', providerReference: auth.providerReference });
    expect(fake.server.requests.slice(before).map((r) => r.path)).toEqual([`/v1/payment_intents/${auth.providerReference}`]);
    expect(await stripe.status(address(b, auth.providerReference), ctx())).toMatchObject({ state: 'unknown', amountAuthorized: 0 });
  });

  it('refuses a capture in another currency without calling capture', async () => {
    const stripe = node();
    const req = payment();
    const auth = await stripe.authorize(req, ctx());
    expect(await stripe.capture({ ...address(req, auth.providerReference), operationId: 'cap_cur', amount: 100, currency: 'USD' }, ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('currency') });
    expect(fake.server.requests.some((r) => r.path.endsWith('/capture') && r.headers['idempotency-key'] === 'cap_cur')).toBe(false);
  });

  it('a capture whose reply is lost is unknown; status shows it applied', async () => {
    const stripe = node();
    const req = payment();
    const auth = await stripe.authorize(req, ctx());
    fake.server.inject({ kind: 'hang-after', match: (r) => r.path.endsWith('/capture') });
    expect(await stripe.capture({ ...address(req, auth.providerReference), operationId: 'cap_lost', amount: 1000, currency: 'EUR' }, ctx(200))).toMatchObject({ outcome: 'unknown', code: 'provider_timeout' });
    expect(await stripe.status(address(req, auth.providerReference), ctx())).toMatchObject({ amountCaptured: 1000 });
  });
});

describe('stripe adapter type: start-up, one client per leaf', () => {
  it('fails start-up with one line naming the leaf and the missing variable', () => {
    vi.stubEnv('CANOPY_TEST_STRIPE_MISSING', '');
    expect(() => stripeAdapter.create('stripe-eu', { secret_key_env: 'CANOPY_TEST_STRIPE_MISSING' })).toThrow(
      /^stripe stripe-eu: the environment variable CANOPY_TEST_STRIPE_MISSING \(options.secret_key_env\) is not set$/,
    );
    expect(() => stripeAdapter.create('stripe-eu', { secret_key_env: 'sk_live_abc' })).toThrow(/stripe stripe-eu: options.secret_key_env/);
  });

  it('two leaves with two keys each use their own (a client per node); no key in describe()', async () => {
    vi.stubEnv('CANOPY_TEST_STRIPE_A', FAKE_SECRET_KEY);
    vi.stubEnv('CANOPY_TEST_STRIPE_B', 'sk_test_other_account_key');
    const a = stripeAdapter.create('stripe-a', { secret_key_env: 'CANOPY_TEST_STRIPE_A', api_base: fake.url });
    const b = stripeAdapter.create('stripe-b', { secret_key_env: 'CANOPY_TEST_STRIPE_B', api_base: fake.url });
    expect(await a.health(ctx())).toEqual({ id: 'stripe-a', status: 'up' });
    expect(await b.health(ctx())).toMatchObject({ id: 'stripe-b', status: 'down' });
    expect(JSON.stringify([a.describe(), b.describe()])).not.toMatch(/sk_test/);
  });
});
