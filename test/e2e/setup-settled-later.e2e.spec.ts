// A first payment that saves its card (setup_future_usage), settled after its request by the
// provider's notification: its card is saved with the network transaction id its leaf tells, and
// charged off-session afterwards. Against the Stripe fake, which delivers its webhooks to the gateway.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PRISMA, type PrismaClient } from '#persistence';
import { FAKE_SECRET_KEY, StripeFake } from '../../libs/adapters/stripe/fake/stripe.fake.js';
import { pgliteBackend } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, MerchantSession, startGateway } from '../support/gateway-harness.js';

const STRIPE_KEY_ENV = 'CANOPY_E2E_SETUP_LATER_STRIPE_KEY';
const STRIPE_WHSEC_ENV = 'CANOPY_E2E_SETUP_LATER_STRIPE_WHSEC';

describe('a setup payment settled by its provider notification', () => {
  let stripe: StripeFake;
  let gateway: Gateway;
  let merchant: MerchantSession;

  beforeAll(async () => {
    stripe = await StripeFake.start();
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    vi.stubEnv(STRIPE_KEY_ENV, FAKE_SECRET_KEY);
    vi.stubEnv(STRIPE_WHSEC_ENV, secret);
    const tree = {
      root: {
        id: 'root',
        type: 'router',
        strategy: 'rules',
        timeout_ms: 1500,
        status_timeout_ms: 300,
        rules: [],
        default: 'stripe-us',
        children: [
          { id: 'stripe-us', type: 'stripe', options: { secret_key_env: STRIPE_KEY_ENV, webhook_secret_env: STRIPE_WHSEC_ENV, api_base: stripe.url, currencies: ['USD'], search_lag_ms: 0 } },
        ],
      },
    };
    gateway = await startGateway((await pgliteBackend.create()).config, tree, ['error'], { requestTimeoutMs: 1200 });
    await gateway.app.listen({ port: 0, host: '127.0.0.1' });
    const url = (await gateway.app.getUrl()).replace('[::1]', '127.0.0.1');
    stripe.addWebhookEndpoint(`${url}/v1/providers/stripe-us/notifications`, secret);
    merchant = await MerchantSession.create(gateway);
  });
  afterAll(async () => {
    await gateway?.close();
    await stripe?.close();
    vi.unstubAllEnvs();
  });

  it('saves the card with the network transaction id its leaf tells, and charges it off-session', async () => {
    const customer = await merchant.post('/v1/customers', {}, null).expect(201);
    const token = await merchant.tokenize();
    // The charge is made but its answer is lost, and the status inquiry cannot tell: the payment stays pending.
    stripe.server.inject({ kind: 'error-after', status: 500, match: (r) => r.method === 'POST' && r.path === '/v1/payment_intents', times: 1 });
    stripe.server.inject({ kind: 'error-before', status: 503, match: (r) => r.method === 'GET', times: 2 });
    const created = await merchant
      .post('/v1/payments', { amount: 1500, currency: 'USD', payment_method: token, customer: customer.body.id, setup_future_usage: 'off_session' })
      .expect(201);
    expect(created.body).toMatchObject({ status: 'pending', payment_method: { id: null } });
    stripe.server.clearFaults();

    // Stripe's payment_intent.succeeded settles it; the notification says nothing of the network transaction id.
    await vi.waitFor(async () => expect((await merchant.get(`/v1/payments/${created.body.id}`).expect(200)).body.status).toBe('captured'), { timeout: 8_000, interval: 100 });
    const run = await gateway.http.post('/v1/ops/reconcile').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect(run.body.payment_methods_saved).toBe(1);

    const payment = (await merchant.get(`/v1/payments/${created.body.id}`).expect(200)).body;
    expect(payment.payment_method.id).toMatch(/^pm_/);
    const intent = [...stripe.intents.values()].find((candidate) => candidate.metadata.canopy_payment_id === created.body.id)!;
    const charged = stripe.storedCredentialOf(intent.id)!;
    expect(charged.networkTransactionId).toEqual(expect.any(String));
    const method = await gateway.app.get<PrismaClient>(PRISMA).paymentMethod.findUniqueOrThrow({ where: { id: payment.payment_method.id } });
    expect(method.networkTransactionId).toBe(charged.networkTransactionId);

    const later = await merchant.post('/v1/payments', { amount: 300, currency: 'USD', payment_method: payment.payment_method.id, off_session: true }).expect(201);
    expect(later.body).toMatchObject({ status: 'captured', off_session: true });
    const laterIntent = [...stripe.intents.values()].find((candidate) => candidate.metadata.canopy_payment_id === later.body.id)!;
    expect(stripe.storedCredentialOf(laterIntent.id)!.received).toMatchObject({ offSession: true, mitNetworkTransactionId: charged.networkTransactionId });
  });
});
