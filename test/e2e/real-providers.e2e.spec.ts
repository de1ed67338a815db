import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AdyenFake } from '../../libs/adapters/adyen/fake/adyen.fake.js';
import { FAKE_SECRET_KEY, type StripeFake } from '../../libs/adapters/stripe/fake/stripe.fake.js';
import { parseForm } from '../../libs/adapters/stripe/fake/form.js';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession } from '../support/gateway-harness.js';
import { ADYEN_HMAC, type ProviderFakes, startProviderFakes } from '../support/provider-fakes.js';

const budgets = { timeout_ms: 1500, status_timeout_ms: 700 };

/**
 * The gateway over real adapter types, each against its wire-level fake: USD to Stripe alone, GBP
 * to Adyen alone, EUR to Stripe first with Adyen as the fallback.
 */
function providersTree({ stripeLeaf, adyenLeaf }: ProviderFakes): unknown {
  return {
    root: {
      id: 'root',
      type: 'router',
      strategy: 'rules',
      ...budgets,
      rules: [
        { when: { currency: ['USD'] }, to: 'stripe-us' },
        { when: { currency: ['GBP'] }, to: 'adyen-gb' },
        { when: { currency: ['EUR'] }, to: 'europe' },
      ],
      default: 'stripe-us',
      children: [
        stripeLeaf('stripe-us', ['USD']),
        adyenLeaf('adyen-gb', ['GBP']),
        { id: 'europe', type: 'router', strategy: 'priority', ...budgets, children: [stripeLeaf('stripe-eu', ['EUR']), adyenLeaf('adyen-eu', ['EUR'])] },
      ],
    },
  };
}

const card = (number: string) => ({ type: 'card', card: { number, exp_month: 12, exp_year: 2030, cvc: '123' } });

describe.each(await testBackends())('real provider adapters through the gateway, against their fakes, on $name', (backend) => {
  let fakes: ProviderFakes;
  let stripe: StripeFake;
  let adyen: AdyenFake;
  const suite: { tree?: unknown } = {};
  beforeAll(async () => {
    fakes = await startProviderFakes('PROVIDERS');
    ({ stripe, adyen } = fakes);
    adyen.registerWebhook({ url: 'http://127.0.0.1:9/closed', hmacKey: ADYEN_HMAC });
    suite.tree = providersTree(fakes);
  });
  const started = gatewayForSuite(backend, {
    get tree() {
      return suite.tree;
    },
  });
  let gateway: Gateway;
  let merchant: MerchantSession;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
  });
  afterAll(async () => {
    await fakes?.close();
  });

  /** What the Adyen fake has written since (its webhook goes nowhere), delivered to the leaf as Adyen would. */
  let delivered = 0;
  async function deliverAdyenNotifications(nodeId: string): Promise<void> {
    await vi.waitFor(() => expect(adyen.notifications().length).toBeGreaterThan(delivered));
    for (const sent of adyen.notifications().slice(delivered)) {
      const answer = await gateway.http.post(`/v1/providers/${nodeId}/notifications`).set(sent.headers).send(sent.body);
      expect([answer.status, answer.text]).toEqual([200, '[accepted]']);
    }
    delivered = adyen.notifications().length;
  }

  const pay = (overrides: Record<string, unknown>, number = '4242424242424242') =>
    merchant.post('/v1/payments', { amount: 1000, currency: 'USD', capture: false, payment_method: card(number), customer: { country: 'US' }, ...overrides });
  /** The PaymentIntents the fake holds for a payment (its attempts carry the payment id in metadata). */
  const intentsOf = (paymentId: string) => [...stripe.intents.values()].filter((intent) => intent.metadata.canopy_payment_id === paymentId);
  /** The payments the Adyen fake holds for a payment's attempts (`reference` is the attempt id). */
  const adyenPaymentsOf = (attemptIds: readonly string[]) => [...adyen.payments.values()].filter((payment) => attemptIds.includes(payment.reference));
  const attemptIdsOf = (body: { route: { attempts: Array<{ id: string }> } }) => body.route.attempts.map((attempt) => attempt.id);
  const requestsTo = (pattern: RegExp) => stripe.server.requests.filter((r) => r.method === 'POST' && pattern.test(r.path));

  it('Stripe: authorizes, captures part, refunds twice; every call carries its own idempotency key', async () => {
    const created = await pay({ amount: 1000 }).expect(201);
    expect(created.body).toMatchObject({ status: 'authorized', amount_captured: 0, route: { path: 'root/stripe-us' } });
    const id = created.body.id as string;
    const [intent] = intentsOf(id);
    expect(intent).toMatchObject({ status: 'requires_capture', amount: 1000, currency: 'usd', capture_method: 'manual' });
    const attemptId = created.body.route.attempts[0].id as string;
    const create = requestsTo(/^\/v1\/payment_intents$/).find((r) => parseForm(r.body).metadata && (parseForm(r.body).metadata as Record<string, string>).canopy_attempt_id === attemptId)!;
    expect(create.headers['idempotency-key']).toBe(attemptId);

    const captured = await merchant.post(`/v1/payments/${id}/capture`, { amount: 600 }).expect(200);
    expect(captured.body).toMatchObject({ status: 'captured', amount_captured: 600 });
    expect(stripe.intents.get(intent!.id)).toMatchObject({ status: 'succeeded', amount_received: 600 });

    const first = await merchant.post(`/v1/payments/${id}/refunds`, { amount: 200 }).expect(201);
    expect(first.body).toMatchObject({ status: 'succeeded', amount: 200 });
    const second = await merchant.post(`/v1/payments/${id}/refunds`, {}).expect(201);
    expect(second.body).toMatchObject({ status: 'succeeded', amount: 400 });
    expect((await merchant.get(`/v1/payments/${id}`)).body).toMatchObject({ status: 'refunded', amount_refunded: 600 });

    const atStripe = [...stripe.refunds.values()].filter((refund) => refund.payment_intent === intent!.id);
    expect(atStripe.map((refund) => refund.amount).sort((a, b) => a - b)).toEqual([200, 400]);
    const keys = [...requestsTo(new RegExp(`^/v1/payment_intents/${intent!.id}/capture$`)), ...requestsTo(/^\/v1\/refunds$/).filter((r) => parseForm(r.body).payment_intent === intent!.id)].map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(3);
    expect(keys.every((key) => typeof key === 'string' && key.length > 0 && key !== attemptId)).toBe(true);
  });

  it('Stripe: voids an authorization (PaymentIntent canceled)', async () => {
    const created = await pay({}).expect(201);
    const voided = await merchant.post(`/v1/payments/${created.body.id}/void`).expect(200);
    expect(voided.body.status).toBe('voided');
    expect(intentsOf(created.body.id)[0]).toMatchObject({ status: 'canceled' });
  });

  it('Stripe: a decline answers its unified code and is final', async () => {
    const response = await pay({}, '4000000000009995').expect(201);
    expect(response.body).toMatchObject({ status: 'declined', decline_code: 'insufficient_funds' });
    expect(response.body.route.attempts).toHaveLength(1);
  });

  it('Adyen: authorizes, captures part, refunds twice, each modification received under its own idempotency key', async () => {
    const created = await pay({ currency: 'GBP', customer: { country: 'GB' } }).expect(201);
    expect(created.body).toMatchObject({ status: 'authorized', route: { path: 'root/adyen-gb' } });
    const id = created.body.id as string;
    const [payment] = adyenPaymentsOf(attemptIdsOf(created.body));
    expect(payment).toMatchObject({ resultCode: 'Authorised', amount: { value: 1000, currency: 'GBP' }, capturedAtOnce: false });

    // Adyen confirms modifications only by notification: each is pending until its own arrives.
    const captured = await merchant.post(`/v1/payments/${id}/capture`, { amount: 700 }).expect(200);
    expect(captured.body).toMatchObject({ status: 'pending', pending_operation: { type: 'capture', amount: 700 } });
    await deliverAdyenNotifications('adyen-gb');
    const first = await merchant.post(`/v1/payments/${id}/refunds`, { amount: 300 }).expect(201);
    expect(first.body.status).toBe('pending');
    await deliverAdyenNotifications('adyen-gb');
    await merchant.post(`/v1/payments/${id}/refunds`, {}).expect(201);
    await deliverAdyenNotifications('adyen-gb');
    expect((await merchant.get(`/v1/payments/${id}`)).body).toMatchObject({ status: 'refunded', amount_captured: 700, amount_refunded: 700 });
    expect(payment!.modifications.map((m) => [m.kind, m.amount])).toEqual([
      ['capture', 700],
      ['refund', 300],
      ['refund', 400],
    ]);
    const modificationKeys = adyen.server.requests.filter((r) => r.path.includes(`/payments/${payment!.pspReference}/`)).map((r) => r.headers['idempotency-key']);
    expect(new Set(modificationKeys).size).toBe(3);
  });

  it('Adyen: an accepted capture stays pending through reconciliation (nothing confirmed it yet) until its notification arrives', async () => {
    const created = await pay({ currency: 'GBP', customer: { country: 'GB' } }).expect(201);
    const id = created.body.id as string;
    await merchant.post(`/v1/payments/${id}/capture`, {}).expect(200);
    const report = (await gateway.http.post('/v1/ops/reconcile').set(admin).expect(200)).body;
    expect(report.settled.filter((row: { payment_id: string }) => row.payment_id === id)).toEqual([]);
    expect((await merchant.get(`/v1/payments/${id}`)).body).toMatchObject({ status: 'pending', pending_operation: { type: 'capture', amount: 1000 } });
    // A conflicting operation meanwhile: 409.
    expect((await merchant.post(`/v1/payments/${id}/void`).expect(409)).body.error.code).toBe('operation_in_flight');
    const awaiting = async () => Number(/^canopy_payments_awaiting_confirmation (\d+)$/m.exec((await gateway.http.get('/metrics').expect(200)).text)?.[1]);
    expect(await awaiting()).toBeGreaterThanOrEqual(1);
    await deliverAdyenNotifications('adyen-gb');
    expect((await merchant.get(`/v1/payments/${id}`)).body).toMatchObject({ status: 'captured', amount_captured: 1000, pending_operation: null });
  
    // A refund Adyen accepted is never re-sent by reconciliation (a re-send past Adyen's idempotency window would refund twice).
    const refund = (await merchant.post(`/v1/payments/${id}/refunds`, { amount: 400 }).expect(201)).body;
    expect(refund.status).toBe('pending');
    const refundCalls = () => adyen.server.requests.filter((r) => r.path.endsWith('/refunds')).length;
    const sent = refundCalls();
    const again = (await gateway.http.post('/v1/ops/reconcile').set(admin).expect(200)).body;
    expect(again.refunds_settled).toEqual([]);
    expect(refundCalls()).toBe(sent);
    await deliverAdyenNotifications('adyen-gb');
    expect((await merchant.get(`/v1/refunds/${refund.id}`).expect(200)).body.status).toBe('succeeded');
  });

  it('Adyen: voids an authorization; a refusal answers its unified code', async () => {
    const created = await pay({ currency: 'GBP', customer: { country: 'GB' } }).expect(201);
    expect((await merchant.post(`/v1/payments/${created.body.id}/void`).expect(200)).body.status).toBe('pending');
    await deliverAdyenNotifications('adyen-gb');
    expect((await merchant.get(`/v1/payments/${created.body.id}`)).body.status).toBe('voided');
    expect(adyenPaymentsOf(attemptIdsOf(created.body))[0]!.modifications.map((m) => m.kind)).toEqual(['cancel']);
    const refused = await pay({ currency: 'GBP', customer: { country: 'GB' } }, '4000000000000069').expect(201);
    expect(refused.body).toMatchObject({ status: 'declined', decline_code: 'expired_card' });
  });

  it('a 5xx before Stripe processed anything fails over to Adyen; nothing is charged at Stripe', async () => {
    stripe.server.inject({ kind: 'error-before', status: 500, match: (r) => r.path === '/v1/payment_intents' });
    const response = await pay({ currency: 'EUR', customer: { country: 'DE' } }).expect(201);
    expect(response.body.status).toBe('authorized');
    expect(response.body.route.attempts.map((a: { path: string; outcome: string }) => [a.path, a.outcome])).toEqual([
      ['root/europe/stripe-eu', expect.stringMatching(/^(failed|unknown)$/)],
      ['root/europe/adyen-eu', 'approved'],
    ]);
    expect(intentsOf(response.body.id)).toEqual([]);
    expect(adyenPaymentsOf(attemptIdsOf(response.body))).toHaveLength(1);
  });

  it('Stripe refusing before processing (connection refused) fails over to Adyen', async () => {
    await stripe.server.down();
    try {
      const response = await pay({ currency: 'EUR', customer: { country: 'DE' } }).expect(201);
      expect(response.body.route.attempts.map((a: { path: string; outcome: string; code: string | null }) => [a.path, a.outcome, a.code])).toEqual([
        ['root/europe/stripe-eu', 'failed', 'provider_unavailable'],
        ['root/europe/adyen-eu', 'approved', null],
      ]);
      expect(response.body.status).toBe('authorized');
    } finally {
      await stripe.server.up();
    }
  });

  it('a 5xx after Stripe charged is not failed over: pending, then reconciliation settles it, charged once', async () => {
    stripe.server.inject({ kind: 'error-after', status: 500, match: (r) => r.path === '/v1/payment_intents' });
    // The router's status inquiry finds no answer either, so the payment must wait for reconciliation.
    stripe.server.inject({ kind: 'error-before', status: 503, match: (r) => r.method === 'GET', times: 2 });
    const response = await pay({ currency: 'EUR', customer: { country: 'DE' } }).expect(201);
    expect(response.body.status).toBe('pending');
    // Not failed over: Stripe may have charged, so Adyen is never asked.
    expect(response.body.route.attempts).toEqual([expect.objectContaining({ path: 'root/europe/stripe-eu', outcome: 'unknown' })]);
    expect(adyenPaymentsOf(attemptIdsOf(response.body))).toEqual([]);
    stripe.server.clearFaults();

    const report = (await gateway.http.post('/v1/ops/reconcile').set(admin).expect(200)).body;
    expect(report.settled).toContainEqual({ payment_id: response.body.id, from: 'pending', to: 'authorized' });
    expect(intentsOf(response.body.id)).toHaveLength(1);
  });

  it('a lost reply (charged, then no answer) ends pending and settles by status without a second charge', async () => {
    stripe.server.inject({ kind: 'error-before', status: 503, match: (r) => r.method === 'GET', times: 2 });
    const response = await pay({ capture: true }, '4000000000000101').expect(201);
    expect(response.body.status).toBe('pending');
    stripe.server.clearFaults();
    const report = (await gateway.http.post('/v1/ops/reconcile').set(admin).expect(200)).body;
    expect(report.settled).toContainEqual({ payment_id: response.body.id, from: 'pending', to: 'captured' });
    expect(intentsOf(response.body.id)).toHaveLength(1);
    expect(requestsTo(/^\/v1\/payment_intents$/).filter((r) => parseForm(r.body).metadata && (parseForm(r.body).metadata as Record<string, string>).canopy_payment_id === response.body.id)).toHaveLength(1);
  });

  it('no secret appears in the ops tree, the readiness report or /metrics', async () => {
    await pay({}).expect(201);
    const seen = [
      JSON.stringify((await gateway.http.get('/v1/ops/tree').set(admin).expect(200)).body),
      JSON.stringify((await gateway.http.get('/health/ready')).body),
      (await gateway.http.get('/metrics').expect(200)).text,
    ].join('\n');
    expect(seen).toContain('stripe-us');
    expect(seen).not.toContain(FAKE_SECRET_KEY);
    expect(seen).not.toContain(fakes.adyenKey);
  });
});
