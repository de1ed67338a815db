// Provider notifications against the providers' wire-level fakes, with the gateway listening on a
// port so the fakes deliver them as the providers would: Adyen confirms a capture or refund only by
// notification (the payment is pending until then), a failed refund restores the refundable amount,
// a notification delivered many times applies once (also racing on two gateway processes), a bad
// signature changes nothing; Stripe's own event settles a payment its late answer left pending, and
// its 3-D Secure redirect completes through the root's return endpoint.
import { randomBytes } from 'node:crypto';
import { completeRedirect } from '#contract-kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAdyenFake, type AdyenFake } from '../../libs/adapters/adyen/fake/adyen.fake.js';
import { FAKE_SECRET_KEY, StripeFake } from '../../libs/adapters/stripe/fake/stripe.fake.js';
import type { DatabaseConfig } from '#persistence';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, MerchantSession, startGateway } from '../support/gateway-harness.js';

const ADYEN_KEY_ENV = 'CANOPY_E2E_NTF_ADYEN_KEY';
const ADYEN_HMAC_ENV = 'CANOPY_E2E_NTF_ADYEN_HMAC';
const STRIPE_KEY_ENV = 'CANOPY_E2E_NTF_STRIPE_KEY';
const STRIPE_WHSEC_ENV = 'CANOPY_E2E_NTF_STRIPE_WHSEC';
const ADYEN_KEY = 'adyen_e2e_ntf_key';
const ADYEN_ACCOUNT = 'CanopyNotifications';
const HMAC_KEY = randomBytes(32).toString('hex').toUpperCase();
const PUBLIC_URL = 'http://canopy.test';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

const card = (number: string) => ({ type: 'card', card: { number, exp_month: 12, exp_year: 2030, cvc: '123' } });

function tree(adyen: AdyenFake, stripe: StripeFake): unknown {
  return {
    root: {
      id: 'root',
      type: 'router',
      strategy: 'rules',
      timeout_ms: 1500,
      status_timeout_ms: 300,
      rules: [
        { when: { currency: ['GBP'] }, to: 'adyen-gb' },
        { when: { currency: ['USD'] }, to: 'stripe-us' },
      ],
      default: 'sim',
      children: [
        {
          id: 'adyen-gb',
          type: 'adyen',
          options: { api_key_env: ADYEN_KEY_ENV, hmac_key_env: ADYEN_HMAC_ENV, merchant_account: ADYEN_ACCOUNT, environment: 'test', api_base: adyen.url, currencies: ['GBP'] },
        },
        { id: 'stripe-us', type: 'stripe', options: { secret_key_env: STRIPE_KEY_ENV, webhook_secret_env: STRIPE_WHSEC_ENV, api_base: stripe.url, currencies: ['USD'], search_lag_ms: 0 } },
        { id: 'sim', type: 'simulator' },
      ],
    },
  };
}

interface Listening extends Gateway {
  url: string;
}

async function listening(database: DatabaseConfig, treeConfig: unknown, config: object = {}): Promise<Listening> {
  const gateway = await startGateway(database, treeConfig, ['error'], { publicUrl: PUBLIC_URL, ...config });
  await gateway.app.listen(0, '127.0.0.1');
  return { ...gateway, url: (await gateway.app.getUrl()).replace('[::1]', '127.0.0.1') };
}

const backends = await testBackends();

describe.each(backends)('provider notifications on $name', (backend) => {
  let adyen: AdyenFake;
  let stripe: StripeFake;
  let gateway: Listening;
  let merchant: MerchantSession;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    adyen = await startAdyenFake({ apiKey: ADYEN_KEY, merchantAccount: ADYEN_ACCOUNT, retryMs: 50 });
    stripe = await StripeFake.start();
    const endpoint = stripe.addWebhookEndpoint('http://127.0.0.1:9/unset');
    stripe.removeWebhookEndpoint(endpoint.id);
    vi.stubEnv(ADYEN_KEY_ENV, ADYEN_KEY);
    vi.stubEnv(ADYEN_HMAC_ENV, HMAC_KEY);
    vi.stubEnv(STRIPE_KEY_ENV, FAKE_SECRET_KEY);
    const database = await backend.create();
    drop = database.drop;
    const stripeSecret = `whsec_${randomBytes(24).toString('base64')}`;
    vi.stubEnv(STRIPE_WHSEC_ENV, stripeSecret);
    gateway = await listening(database.config, tree(adyen, stripe), { requestTimeoutMs: 1200 });
    adyen.registerWebhook({ url: `${gateway.url}/v1/providers/adyen-gb/notifications`, hmacKey: HMAC_KEY });
    stripe.addWebhookEndpoint(`${gateway.url}/v1/providers/stripe-us/notifications`, stripeSecret);
    merchant = await MerchantSession.create(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
    await adyen?.close();
    await stripe?.close();
    await drop?.();
    vi.unstubAllEnvs();
  });

  const payment = async (id: string) => (await merchant.get(`/v1/payments/${id}`).expect(200)).body;
  const events = async (id: string) => ((await merchant.get(`/v1/payments/${id}/events`).expect(200)).body.data as { type: string }[]).map((event) => event.type);
  const facts = async () => (await gateway.http.get('/v1/ops/notifications?limit=100').set(admin).expect(200)).body as {
    counts: Record<string, number>;
    data: { payment_id: string | null; kind: string; result: string; duplicates: number; detail: string }[];
  };
  const authorizedAtAdyen = async () => {
    const created = await merchant.post('/v1/payments', { amount: 1000, currency: 'GBP', capture: false, payment_method: card('4242424242424242'), customer: { country: 'GB' } }).expect(201);
    expect(created.body).toMatchObject({ status: 'authorized', route: { path: 'root/adyen-gb' } });
    return created.body.id as string;
  };

  it('Adyen: a capture answers pending, then its signed notification makes it captured; a conflicting void meanwhile gets 409', async () => {
    const id = await authorizedAtAdyen();
    const captured = await merchant.post(`/v1/payments/${id}/capture`, { amount: 700 }).expect(200);
    expect(captured.body).toMatchObject({ status: 'pending', amount_captured: 0, pending_operation: { type: 'capture', status: 'pending', amount: 700 } });

    await vi.waitFor(async () => expect((await payment(id)).status).toBe('captured'), { timeout: 5000, interval: 50 });
    expect(await payment(id)).toMatchObject({ status: 'captured', amount_captured: 700, pending_operation: null });
    expect(await events(id)).toEqual(['payment.created', 'payment.authorized', 'payment.capture_pending', 'payment.captured']);
    expect(adyen.notifications().filter((sent) => sent.items.some((item) => item.eventCode === 'CAPTURE'))).toEqual(
      expect.arrayContaining([expect.objectContaining({ accepted: true })]),
    );
  });

  it('Adyen: a capture that fails by notification puts the payment back to authorized; a new capture then goes through', async () => {
    const id = await authorizedAtAdyen();
    adyen.failNextCapture();
    expect((await merchant.post(`/v1/payments/${id}/capture`, {}).expect(200)).body.status).toBe('pending');
    await vi.waitFor(async () => expect((await payment(id)).status).toBe('authorized'), { timeout: 5000, interval: 50 });
    expect(await events(id)).toEqual(['payment.created', 'payment.authorized', 'payment.capture_pending', 'payment.capture_failed']);

    expect((await merchant.post(`/v1/payments/${id}/capture`, {}).expect(200)).body.status).toBe('pending');
    await vi.waitFor(async () => expect((await payment(id)).status).toBe('captured'), { timeout: 5000, interval: 50 });
    const references = adyen.server.requests.filter((request) => request.path.endsWith('/captures')).map((request) => request.headers['idempotency-key']);
    expect(new Set(references.slice(-2)).size).toBe(2);
  });

  it('Adyen: refunds stay pending until notified; one that fails by notification makes its amount refundable again', async () => {
    const id = await authorizedAtAdyen();
    await merchant.post(`/v1/payments/${id}/capture`, {}).expect(200);
    await vi.waitFor(async () => expect((await payment(id)).status).toBe('captured'), { timeout: 5000, interval: 50 });

    adyen.failNextRefund();
    const failing = await merchant.post(`/v1/payments/${id}/refunds`, { amount: 600 }).expect(201);
    expect(failing.body).toMatchObject({ status: 'pending', amount: 600 });
    await vi.waitFor(async () => expect((await merchant.get(`/v1/refunds/${failing.body.id}`).expect(200)).body.status).toBe('failed'), { timeout: 5000, interval: 50 });

    // The whole captured amount is refundable again.
    const full = await merchant.post(`/v1/payments/${id}/refunds`, {}).expect(201);
    expect(full.body).toMatchObject({ status: 'pending', amount: 1000 });
    await vi.waitFor(async () => expect((await payment(id)).status).toBe('refunded'), { timeout: 5000, interval: 50 });
    expect(await payment(id)).toMatchObject({ amount_captured: 1000, amount_refunded: 1000 });
    expect(await events(id)).toEqual(expect.arrayContaining(['payment.refund_failed', 'payment.refunded']));
  });

  it('Adyen: the same notification delivered 5 times at once applies once; the rest count as duplicates', async () => {
    const id = await authorizedAtAdyen();
    await merchant.post(`/v1/payments/${id}/void`).expect(200);
    await vi.waitFor(async () => expect((await payment(id)).status).toBe('voided'), { timeout: 5000, interval: 50 });
    const sent = adyen.notifications().find((notification) => notification.items.some((item) => item.eventCode === 'CANCELLATION' && item.merchantReference.startsWith(`att_${id.slice(4)}`)));
    expect(sent).toBeDefined();

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => gateway.http.post('/v1/providers/adyen-gb/notifications').set(sent!.headers).send(sent!.body)),
    );
    expect(answers.map((answer) => [answer.status, answer.text])).toEqual(Array.from({ length: 5 }, () => [200, '[accepted]']));
    expect((await events(id)).filter((type) => type === 'payment.voided')).toHaveLength(1);
    const cancellation = (await facts()).data.filter((fact) => fact.payment_id === id && fact.kind === 'cancelled');
    expect(cancellation).toEqual([expect.objectContaining({ result: 'applied', duplicates: 5 })]);
  });

  it('a notification with a bad signature is refused (400) and changes nothing; unknown nodes and nodes without notifications are 404', async () => {
    const id = await authorizedAtAdyen();
    // Adyen's own AUTHORISATION notification may arrive meanwhile; the forged one is a capture.
    const factsOf = async () => (await facts()).data.filter((fact) => fact.payment_id === id && fact.kind === 'captured');
    const before = await factsOf();
    const forged = adyen.notification({ eventId: 'forged', kind: 'captured', attemptId: `att_${id.slice(4)}_1`, providerReference: null, operationId: `att_${id.slice(4)}_1.capture`, amount: 1000, currency: 'GBP' });
    const tampered = forged.body.replace('"value":1000', '"value":1');
    expect(tampered).not.toBe(forged.body);

    const refused = await gateway.http.post('/v1/providers/adyen-gb/notifications').set(forged.headers).send(tampered).expect(400);
    expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_signature' });
    expect((await payment(id)).status).toBe('authorized');
    expect(await factsOf()).toEqual(before);
    const view = (await gateway.http.get('/v1/ops/notifications').set(admin).expect(200)).body;
    expect(view.refused.bad_signature).toBeGreaterThanOrEqual(1);

    await gateway.http.post('/v1/providers/nowhere/notifications').set(forged.headers).send(forged.body).expect(404);
    const unsupported = await gateway.http.post('/v1/providers/sim/notifications').set(forged.headers).send(forged.body).expect(404);
    expect(unsupported.body.error.code).toBe('notifications_not_supported');
    const metrics = (await gateway.http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/canopy_provider_notifications_total\{node="adyen-gb",result="refused_bad_signature"\} [1-9]/);
    expect(metrics).toMatch(/canopy_provider_notifications_total\{node="adyen-gb",result="applied"\} [1-9]/);
  });

  it("Stripe: a payment its late answer left pending is settled by Stripe's own payment_intent.succeeded, before reconciliation", async () => {
    // Stripe charges, but its answer is lost, and so is the router's status inquiry: the payment stays pending.
    stripe.server.inject({ kind: 'error-after', status: 500, match: (request) => request.method === 'POST' && request.path === '/v1/payment_intents', times: 1 });
    stripe.server.inject({ kind: 'error-before', status: 503, match: (request) => request.method === 'GET', times: 2 });
    const created = await merchant.post('/v1/payments', { amount: 1500, currency: 'USD', capture: true, payment_method: card('4242424242424242'), customer: { country: 'US' } }).expect(201);
    expect(created.body).toMatchObject({ status: 'pending', route: { path: 'root/stripe-us' } });
    stripe.server.clearFaults();

    await vi.waitFor(async () => expect((await payment(created.body.id)).status).toBe('captured'), { timeout: 8000, interval: 100 });
    expect(await payment(created.body.id)).toMatchObject({ amount_captured: 1500 });
    const types = await events(created.body.id);
    expect(types).toEqual(['payment.created', 'payment.authorized', 'payment.captured', 'payment.pending_resolved']);
    const settledBy = ((await merchant.get(`/v1/payments/${created.body.id}/events`).expect(200)).body.data as { data: { resolved_by?: string } }[])[1]!.data.resolved_by;
    expect(settledBy).toBe('notification');
  });

  it('Stripe: requires_action → the authentication page → return → succeeded (captured)', async () => {
    const created = await merchant
      .post('/v1/payments', { amount: 900, currency: 'USD', capture: true, payment_method: card('4000000000003220'), customer: { country: 'US' }, return_url: 'https://shop.example/done' })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'requires_action', next_action: { type: 'redirect_to_url' } });
    const returnUrl = `${PUBLIC_URL}/v1/payments/${created.body.id}/return`;
    const returnData = await completeRedirect(created.body.next_action.url, returnUrl);
    expect(returnData).toMatchObject({ payment_intent: expect.stringMatching(/^pi_/) });

    const back = await gateway.http.get(`/v1/payments/${created.body.id}/return?${new URLSearchParams(returnData)}`).redirects(0).expect(303);
    expect(new URL(back.headers.location!).searchParams.get('status'), back.headers.location).toBe('captured');
    expect(await payment(created.body.id)).toMatchObject({ status: 'captured', amount_captured: 900 });
  });
});

const postgres = backends.find((backend) => backend.name === 'postgres');

// PGlite is one process's embedded database: two gateway processes share PostgreSQL.
describe.runIf(postgres)('one notification delivered concurrently to two gateway processes', () => {
  let adyen: AdyenFake;
  let stripe: StripeFake;
  let one: Listening;
  let two: Listening;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    adyen = await startAdyenFake({ apiKey: ADYEN_KEY, merchantAccount: ADYEN_ACCOUNT, retryMs: 50 });
    stripe = await StripeFake.start();
    vi.stubEnv(ADYEN_KEY_ENV, ADYEN_KEY);
    vi.stubEnv(ADYEN_HMAC_ENV, HMAC_KEY);
    vi.stubEnv(STRIPE_KEY_ENV, FAKE_SECRET_KEY);
    vi.stubEnv(STRIPE_WHSEC_ENV, 'whsec_unused');
    const database = await postgres!.create();
    drop = database.drop;
    [one, two] = await Promise.all([listening(database.config, tree(adyen, stripe)), listening(database.config, tree(adyen, stripe))]);
    adyen.registerWebhook({ url: 'http://127.0.0.1:9/closed', hmacKey: HMAC_KEY });
  });

  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await adyen?.close();
    await stripe?.close();
    await drop?.();
    vi.unstubAllEnvs();
  });

  it('applies the capture once: one event, one applied fact, the other deliveries duplicates', async () => {
    const merchant = await MerchantSession.create(one);
    const created = await merchant.post('/v1/payments', { amount: 1000, currency: 'GBP', capture: false, payment_method: card('4242424242424242'), customer: { country: 'GB' } }).expect(201);
    const id = created.body.id as string;
    // The webhook goes nowhere (a closed port): the fake keeps the notification for us to deliver.
    await merchant.post(`/v1/payments/${id}/capture`, {}).expect(200);
    const sent = await vi.waitFor(() => {
      const found = adyen.notifications().find((notification) => notification.items.some((item) => item.eventCode === 'CAPTURE'));
      if (!found) throw new Error('no CAPTURE notification written yet');
      return found;
    });

    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => (i % 2 === 0 ? one : two).http.post('/v1/providers/adyen-gb/notifications').set(sent!.headers).send(sent!.body)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const read = (await merchant.get(`/v1/payments/${id}`).expect(200)).body;
    expect(read).toMatchObject({ status: 'captured', amount_captured: 1000 });
    const events = ((await merchant.get(`/v1/payments/${id}/events`).expect(200)).body.data as { type: string }[]).map((event) => event.type);
    expect(events.filter((type) => type === 'payment.captured')).toHaveLength(1);
    const facts = (await one.http.get('/v1/ops/notifications').set(admin).expect(200)).body.data as { payment_id: string; result: string; duplicates: number }[];
    expect(facts.filter((fact) => fact.payment_id === id)).toEqual([expect.objectContaining({ result: 'applied', duplicates: 4 })]);
  });
});
