import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attemptIdFor, contextWithTimeout, maskCard, type AuthorizeRequest, type NotificationFact, type ProviderNotification } from '#gateway-spi';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FAKE_SECRET_KEY, StripeFake, type FakeWebhookEndpoint } from '../fake/stripe.fake.js';
import { stripeAdapter } from './stripe.adapter.js';
import { createStripeClient } from './stripe.client.js';
import { StripeNode } from './stripe.node.js';
import { parseStripeOptions } from './stripe.options.js';

/** A local receiver standing in for the root's notification endpoint: records what arrives, answers `answers` in turn, then 200. */
interface Received {
  body: string;
  headers: Record<string, string>;
}

let fake: StripeFake;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
const answers: number[] = [];
let endpoint: FakeWebhookEndpoint;
let stripe: StripeNode;
const ctx = () => contextWithTimeout(3000, { traceId: 'stripe-webhooks-spec' });
let n = 0;

function payment(number = '4242424242424242', over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const paymentId = `pay_wh${++n}`;
  const card = { number, expMonth: 12, expYear: 2031, cvc: '123' };
  return { paymentId, attemptId: attemptIdFor(paymentId, 1), attemptSeq: 1, merchantId: 'm', amount: 2000, currency: 'EUR', capture: false, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {}, ...over };
}

const address = (req: AuthorizeRequest, providerReference: string | null) => ({ path: ['stripe-1'], attemptId: req.attemptId, providerReference });

/** The facts of every event the receiver got about `objectId`, parsed by the leaf exactly as they arrived. */
async function factsAbout(objectId: string): Promise<NotificationFact[]> {
  await fake.webhooksIdle();
  const facts: NotificationFact[] = [];
  for (const { body, headers } of received.filter((r) => r.body.includes(objectId))) {
    const answer = await stripe.parseNotification({ nodeId: 'stripe-1', body, headers }, ctx());
    if (!answer.ok) throw new Error(`refused: ${answer.reason} ${answer.message}`);
    facts.push(...answer.facts);
  }
  return facts;
}

beforeAll(async () => {
  fake = await StripeFake.start({ webhookRetryDelaysMs: [10, 20] });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      if (status === 200) received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])) });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/providers/stripe-1/notifications`;
  endpoint = fake.addWebhookEndpoint(receiverUrl);
  const parsed = parseStripeOptions({ secret_key_env: 'UNUSED', api_base: fake.url, search_lag_ms: 0 });
  stripe = new StripeNode('stripe-1', parsed.options, { client: createStripeClient({ secretKey: FAKE_SECRET_KEY, apiBase: fake.url }), webhookSecret: endpoint.secret });
});
afterEach(() => {
  answers.length = 0;
  fake.refundsStartPending = false;
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await fake.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

describe('stripe fake → webhook endpoint → leaf: events as Stripe sends them', () => {
  it('an authorization, its capture and two refunds arrive signed; the leaf turns them into facts', async () => {
    const req = payment();
    const auth = await stripe.authorize(req, ctx());
    const pi = auth.providerReference!;
    await stripe.capture({ ...address(req, pi), operationId: `${req.attemptId}.capture`, amount: 1500, currency: 'EUR' }, ctx());
    await stripe.refund({ ...address(req, pi), operationId: 're_wh_a', amount: 500, currency: 'EUR' }, ctx());
    await stripe.refund({ ...address(req, pi), operationId: 're_wh_b', amount: 300, currency: 'EUR' }, ctx());
    const facts = await factsAbout(pi);
    expect(facts.map((f) => [f.kind, f.operationId, f.amount])).toEqual([
      ['authorized', null, 2000],
      ['captured', `${req.attemptId}.capture`, 1500],
      ['refunded', 're_wh_a', 500],
      ['refunded', 're_wh_b', 300],
    ]);
    expect(facts.every((f) => f.attemptId === req.attemptId && f.providerReference === pi && f.currency === 'EUR')).toBe(true);
    expect(new Set(facts.map((f) => f.eventId)).size).toBe(4);
    // What went over the wire: JSON, Stripe's signature header, event types as Stripe names them.
    const sent = fake.webhookDeliveries().filter((d) => d.body.includes(pi));
    expect(sent.map((d) => d.type)).toEqual(['payment_intent.created', 'payment_intent.amount_capturable_updated', 'payment_intent.succeeded', 'refund.created', 'refund.created']);
    expect(sent[0]!.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'stripe-signature': expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/) });
  });

  it('a void arrives as cancelled with the root void id', async () => {
    const req = payment();
    const auth = await stripe.authorize(req, ctx());
    await stripe.void({ ...address(req, auth.providerReference), operationId: `${req.attemptId}.void` }, ctx());
    expect((await factsAbout(auth.providerReference!)).map((f) => [f.kind, f.operationId])).toEqual([
      ['authorized', null],
      ['cancelled', `${req.attemptId}.void`],
    ]);
  });

  it('a 3-D Secure payment: nothing is decided until the shopper completes the page, then authorized arrives', async () => {
    const req = payment('4000000000003220', { returnUrl: 'https://pay.example.test/return' });
    const auth = await stripe.authorize(req, ctx());
    const pi = auth.providerReference!;
    expect(await factsAbout(pi)).toEqual([]);
    const page = await (await fetch(auth.nextAction!.url)).text();
    const action = /action="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&');
    await fetch(action, { method: 'POST', body: new URLSearchParams({ choice: 'complete' }), redirect: 'manual' });
    expect((await factsAbout(pi)).map((f) => f.kind)).toEqual(['authorized']);
  });

  it('a declined card arrives as authorization_failed with its code', async () => {
    const auth = await stripe.authorize(payment('4000000000009995'), ctx());
    expect(await factsAbout(auth.providerReference!)).toEqual([expect.objectContaining({ kind: 'authorization_failed', code: 'insufficient_funds' })]);
  });

  it('a refund that fails later (test hook failRefund) arrives as refund_failed for the root refund id', async () => {
    const req = payment('4242424242424242', { capture: true });
    const auth = await stripe.authorize(req, ctx());
    const refunded = await stripe.refund({ ...address(req, auth.providerReference), operationId: 're_wh_fail', amount: 700, currency: 'EUR' }, ctx());
    expect(refunded.outcome).toBe('succeeded');
    const failed = fake.failRefund(refunded.providerReference!);
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
    const facts = await factsAbout(refunded.providerReference!);
    expect(facts.map((f) => [f.kind, f.operationId, f.amount])).toEqual([
      ['refunded', 're_wh_fail', 700],
      ['refund_failed', 're_wh_fail', 700],
    ]);
    // Status no longer counts the failed refund.
    expect(await stripe.status(address(req, auth.providerReference), ctx())).toMatchObject({ amountCaptured: 2000, amountRefunded: 0 });
  });

  it('a pending refund is the pending outcome; settleRefund sends refund.updated, refunded', async () => {
    const req = payment('4242424242424242', { capture: true });
    const auth = await stripe.authorize(req, ctx());
    fake.refundsStartPending = true;
    const pending = await stripe.refund({ ...address(req, auth.providerReference), operationId: 're_wh_pending', amount: 400, currency: 'EUR' }, ctx());
    expect(pending).toMatchObject({ outcome: 'pending', code: null, providerReference: expect.stringMatching(/^re_/) });
    expect(await factsAbout(pending.providerReference!)).toEqual([]);
    fake.settleRefund(pending.providerReference!);
    expect((await factsAbout(pending.providerReference!)).map((f) => [f.kind, f.operationId])).toEqual([['refunded', 're_wh_pending']]);
  });

  it('a dispute (test hook openDispute) arrives as dispute_opened about the PaymentIntent', async () => {
    const auth = await stripe.authorize(payment('4242424242424242', { capture: true }), ctx());
    const dispute = fake.openDispute(auth.providerReference!);
    expect(await factsAbout(dispute.id)).toEqual([expect.objectContaining({ kind: 'dispute_opened', providerReference: auth.providerReference, amount: 2000, currency: 'EUR' })]);
  });

  it('the receiver answers 500: the fake retries, signed anew, until a 2xx', async () => {
    answers.push(500, 503);
    const auth = await stripe.authorize(payment(), ctx());
    await fake.webhooksIdle();
    const created = fake.webhookDeliveries().filter((d) => d.body.includes(auth.providerReference!) && d.type === 'payment_intent.created');
    expect(created.map((d) => [d.attempt, d.status])).toEqual([[1, 500], [2, 503], [3, 200]]);
    expect(new Set(created.map((d) => d.body)).size).toBe(1);
  });

  it('a replayed delivery gives the same facts (same event ids: the root applies them once); a tampered one is bad_signature; another node is unknown_node', async () => {
    const auth = await stripe.authorize(payment(), ctx());
    await fake.webhooksIdle();
    const delivery = fake.webhookDeliveries().find((d) => d.type === 'payment_intent.amount_capturable_updated' && d.body.includes(auth.providerReference!))!;
    const notification: ProviderNotification = { nodeId: 'stripe-1', body: delivery.body, headers: delivery.headers };
    const first = await stripe.parseNotification(notification, ctx());
    expect(await stripe.parseNotification(notification, ctx())).toEqual(first);
    expect(first).toMatchObject({ ok: true, facts: [{ eventId: delivery.eventId, kind: 'authorized' }] });
    expect(await stripe.parseNotification({ ...notification, body: delivery.body.replace('"amount": 2000', '"amount": 1') }, ctx())).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(await stripe.parseNotification({ ...notification, nodeId: 'stripe-9' }, ctx())).toMatchObject({ ok: false, reason: 'unknown_node' });
    // A fresh signature of a recorded event (signedEvent), as a later replay within the tolerance.
    const again = fake.signedEvent(fake.events.find((e) => e.id === delivery.eventId)!, endpoint.secret);
    expect(await stripe.parseNotification({ nodeId: 'stripe-1', ...again }, ctx())).toMatchObject({ ok: true, facts: [{ eventId: delivery.eventId }] });
  });

  it('a leaf without webhook_secret_env takes no notifications', async () => {
    const parsed = parseStripeOptions({ secret_key_env: 'UNUSED', api_base: fake.url });
    const plain = new StripeNode('stripe-1', parsed.options, { client: createStripeClient({ secretKey: FAKE_SECRET_KEY, apiBase: fake.url }) });
    expect(await plain.parseNotification({ nodeId: 'stripe-1', body: '{}', headers: {} }, ctx())).toMatchObject({ ok: false, reason: 'not_supported' });
  });

  it('start-up: webhook_secret_env names a variable that must be set; the secret never shows', async () => {
    vi.stubEnv('CANOPY_TEST_STRIPE_KEY', FAKE_SECRET_KEY);
    vi.stubEnv('CANOPY_TEST_STRIPE_WHSEC', '');
    expect(() => stripeAdapter.create('stripe-eu', { secret_key_env: 'CANOPY_TEST_STRIPE_KEY', webhook_secret_env: 'CANOPY_TEST_STRIPE_WHSEC' })).toThrow(
      /^stripe stripe-eu: the environment variable CANOPY_TEST_STRIPE_WHSEC \(options.webhook_secret_env\) is not set$/,
    );
    vi.stubEnv('CANOPY_TEST_STRIPE_WHSEC', endpoint.secret);
    const leaf = stripeAdapter.create('stripe-1', { secret_key_env: 'CANOPY_TEST_STRIPE_KEY', webhook_secret_env: 'CANOPY_TEST_STRIPE_WHSEC', api_base: fake.url });
    const delivery = fake.webhookDeliveries().find((d) => d.status === 200)!;
    expect(await leaf.parseNotification({ nodeId: 'stripe-1', body: delivery.body, headers: delivery.headers }, ctx())).toMatchObject({ ok: true });
    expect(JSON.stringify(leaf.describe())).not.toContain('whsec_');
  });
});
