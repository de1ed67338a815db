import { attemptIdFor, contextWithTimeout, maskCard, type AuthorizeRequest, type NodeContext } from '#gateway-spi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_SECRET_KEY, StripeFake } from '../fake/stripe.fake.js';
import { createStripeClient } from './stripe.client.js';
import { StripeNode } from './stripe.node.js';
import { parseStripeOptions } from './stripe.options.js';

let fake: StripeFake;
let stripe: StripeNode;
const ctx = (): NodeContext => contextWithTimeout(3000, { traceId: 'stripe-refunds-spec' });
let n = 0;

function sale(amount = 1000): AuthorizeRequest {
  const paymentId = `pay_rf${++n}`;
  const card = { number: '4242424242424242', expMonth: 12, expYear: 2031, cvc: '123' };
  return { paymentId, attemptId: attemptIdFor(paymentId, 1), attemptSeq: 1, merchantId: 'm', amount, currency: 'EUR', capture: true, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {} };
}

async function paid(amount = 1000) {
  const req = sale(amount);
  const auth = await stripe.authorize(req, ctx());
  expect(auth).toMatchObject({ outcome: 'approved', amountCaptured: amount });
  const address = { path: ['stripe-1'], attemptId: req.attemptId, providerReference: auth.providerReference };
  return { address, refund: (operationId: string, refunded: number) => stripe.refund({ ...address, operationId, amount: refunded, currency: 'EUR' }, ctx()) };
}

const refundPosts = () => fake.server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds');
const refundsOf = (pi: string | null) => [...fake.refunds.values()].filter((r) => r.payment_intent === pi);

beforeAll(async () => {
  fake = await StripeFake.start();
  const parsed = parseStripeOptions({ secret_key_env: 'UNUSED', api_base: fake.url, search_lag_ms: 0 });
  stripe = new StripeNode('stripe-1', parsed.options, { client: createStripeClient({ secretKey: FAKE_SECRET_KEY, apiBase: fake.url }) });
});
afterEach(() => {
  fake.refundsStartPending = false;
  fake.server.clearFaults();
});
afterAll(() => fake.close());

describe('stripe refund re-sent with its operation id: answered from the refund it made, never a second one', () => {
  it('a pending refund re-sent after it settled answers succeeded without any webhook, and creates nothing', async () => {
    const { address, refund } = await paid();
    fake.refundsStartPending = true;
    const first = await refund('re_rf_settled', 400);
    expect(first).toMatchObject({ outcome: 'pending', providerReference: expect.stringMatching(/^re_/) });
    // Pending refunds are not refunded money yet.
    expect(await stripe.status(address, ctx())).toMatchObject({ amountCaptured: 1000, amountRefunded: 0 });
    // No webhook endpoint is registered: only the refund itself can tell.
    fake.settleRefund(first.providerReference!);
    const posts = refundPosts().length;
    const again = await refund('re_rf_settled', 400);
    expect(again).toEqual({ outcome: 'succeeded', code: null, message: null, providerReference: first.providerReference });
    expect(refundPosts()).toHaveLength(posts);
    expect(refundsOf(address.providerReference)).toHaveLength(1);
    expect(await stripe.status(address, ctx())).toMatchObject({ amountRefunded: 400 });
  });

  it('still pending: the re-send answers pending with the same refund; once it failed, failed', async () => {
    const { address, refund } = await paid();
    fake.refundsStartPending = true;
    const first = await refund('re_rf_fails', 300);
    expect(await refund('re_rf_fails', 300)).toMatchObject({ outcome: 'pending', providerReference: first.providerReference });
    fake.failRefund(first.providerReference!);
    expect(await refund('re_rf_fails', 300)).toMatchObject({ outcome: 'failed', code: 'processing_error' });
    expect(refundsOf(address.providerReference)).toHaveLength(1);
  });

  it('a partial refund re-sent after Stripe forgot its idempotency key creates no second refund', async () => {
    const { address, refund } = await paid();
    fake.refundsStartPending = true;
    const first = await refund('re_rf_partial', 250);
    fake.settleRefund(first.providerReference!);
    fake.expireIdempotencyKeys();
    const posts = refundPosts().length;
    expect(await refund('re_rf_partial', 250)).toMatchObject({ outcome: 'succeeded', providerReference: first.providerReference });
    expect(refundPosts()).toHaveLength(posts);
    expect(refundsOf(address.providerReference).map((r) => r.amount)).toEqual([250]);
    expect(await stripe.status(address, ctx())).toMatchObject({ amountRefunded: 250 });
  });

  it('a full refund re-sent after the key expired answers succeeded, not Stripe\'s "already refunded" as failed', async () => {
    const { refund } = await paid();
    const first = await refund('re_rf_full', 1000);
    expect(first.outcome).toBe('succeeded');
    fake.expireIdempotencyKeys();
    expect(await refund('re_rf_full', 1000)).toMatchObject({ outcome: 'succeeded', providerReference: first.providerReference });
  });

  it('the test hook really forgets: the same key with another body is executed anew (no idempotency_error)', async () => {
    const { address } = await paid();
    const client = createStripeClient({ secretKey: FAKE_SECRET_KEY, apiBase: fake.url });
    const call = { idempotencyKey: 're_rf_key', timeoutMs: 3000 };
    await client.createRefund({ payment_intent: address.providerReference!, amount: 100 }, call);
    await expect(client.createRefund({ payment_intent: address.providerReference!, amount: 200 }, call)).rejects.toMatchObject({ type: 'StripeIdempotencyError' });
    fake.expireIdempotencyKeys();
    await expect(client.createRefund({ payment_intent: address.providerReference!, amount: 200 }, call)).resolves.toMatchObject({ amount: 200 });
  });

  it('finds its refund past the first page of the PaymentIntent\'s refunds (newest first, 100 a page)', async () => {
    const { address, refund } = await paid(200);
    const first = await refund('re_rf_oldest', 1);
    for (let i = 0; i < 100; i++) expect((await refund(`re_rf_many_${i}`, 1)).outcome).toBe('succeeded');
    fake.expireIdempotencyKeys();
    const posts = refundPosts().length;
    expect(await refund('re_rf_oldest', 1)).toMatchObject({ outcome: 'succeeded', providerReference: first.providerReference });
    expect(refundPosts()).toHaveLength(posts);
    const lists = fake.server.requests.filter((r) => r.method === 'GET' && r.path === '/v1/refunds').slice(-2);
    expect(lists.map((r) => r.query.get('starting_after'))).toEqual([null, expect.stringMatching(/^re_/)]);
    expect(await stripe.status(address, ctx())).toMatchObject({ amountRefunded: 101 });
  });

  it('the refunds list unanswered: unknown (an earlier send may have refunded), and nothing is created', async () => {
    const { refund } = await paid();
    fake.server.inject({ kind: 'error-before', status: 500, match: (r) => r.method === 'GET' && r.path === '/v1/refunds' });
    const posts = refundPosts().length;
    expect(await refund('re_rf_unlisted', 100)).toMatchObject({ outcome: 'unknown', providerReference: null });
    expect(refundPosts()).toHaveLength(posts);
  });
});
