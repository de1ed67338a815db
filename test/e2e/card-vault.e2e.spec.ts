import { beforeAll, describe, expect, it } from 'vitest';
import { completeRedirect } from '#contract-kit';
import { PRISMA, type PrismaClient } from '#persistence';
import type { SimulatorNode } from '../../libs/adapters/simulator/src/index.js';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, deleteFault, type Gateway, gatewayForSuite, MerchantSession, putFault } from '../support/gateway-harness.js';

const SHOP = 'https://shop.example';
const PUBLIC_URL = 'http://canopy.test';

/** The leaf that held `payment` (an answer of POST /v1/payments) and its stored-credential record of the holding attempt. */
function storedCredentialAt(gateway: Gateway, payment: { route: { path: string; attempts: { id: string; path: string }[] } }) {
  const leafId = payment.route.path.split('/').at(-1)!;
  const attempt = payment.route.attempts.find((a) => a.path === payment.route.path)!;
  return (gateway.tree.nodes.get(leafId) as unknown as SimulatorNode).storedCredentialOf(attempt.id);
}

describe.each(await testBackends())('the card vault on $name', (backend) => {
  const started = gatewayForSuite(backend, { config: { publicUrl: PUBLIC_URL } });
  let gateway: Gateway;
  let merchant: MerchantSession;
  let other: MerchantSession;

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway, 'Shop', [SHOP]);
    other = await MerchantSession.create(gateway, 'Other shop');
  });

  const withKey = (key: string, method: 'get' | 'post', path: string) => gateway.http[method](path).set('authorization', `Bearer ${key}`);

  describe('keys', () => {
    it('creates each merchant with a publishable key besides its secret key', async () => {
      expect(merchant.publishableKey).toMatch(/^pk_test_[A-Za-z0-9_-]{32}$/);
      expect(merchant.apiKey).toMatch(/^sk_test_/);
    });

    it('lets a publishable key do nothing but tokenize', async () => {
      const pk = merchant.publishableKey;
      for (const [method, path] of [
        ['get', '/v1/payments'],
        ['post', '/v1/payments'],
        ['post', '/v1/customers'],
        ['post', '/v1/payment_methods'],
        ['get', '/v1/webhook_endpoints'],
      ] as const) {
        const answer = await withKey(pk, method, path).set('idempotency-key', `pk-${path}`).send({}).expect(403);
        expect(answer.body.error).toMatchObject({ type: 'authentication_error', code: 'secret_key_required' });
      }
      await withKey(pk, 'get', '/v1/ops/tree').expect(401);
    });

    it('tokenizes with the secret key too (server-side)', async () => {
      const answer = await withKey(merchant.apiKey, 'post', '/v1/tokens').send({ card: { number: '4242424242424242', exp_month: 1, exp_year: 2031 } }).expect(201);
      expect(answer.body).toMatchObject({ object: 'token', card: { brand: 'visa', last4: '4242', exp_month: 1, exp_year: 2031 }, used: false });
    });
  });

  describe('tokens', () => {
    it('answers the token with the display data only and refuses an invalid card', async () => {
      const answer = await withKey(merchant.publishableKey, 'post', '/v1/tokens')
        .send({ card: { number: '5555555555554444', exp_month: 3, exp_year: 2032, cvc: '123' } })
        .expect(201);
      expect(answer.body).toEqual({
        id: expect.stringMatching(/^tok_/),
        object: 'token',
        card: { brand: 'mastercard', last4: '4444', exp_month: 3, exp_year: 2032 },
        used: false,
        created_at: expect.any(String),
        expires_at: expect.any(String),
      });
      expect(Date.parse(answer.body.expires_at) - Date.parse(answer.body.created_at)).toBe(15 * 60_000);
      const invalid = await withKey(merchant.publishableKey, 'post', '/v1/tokens').send({ card: { number: '4242424242424241', exp_month: 3, exp_year: 2032 } }).expect(400);
      expect(invalid.body.error).toMatchObject({ code: 'invalid_card_number', param: 'card.number' });
    });

    it('pays with a token once; a second payment with it is refused and charges nothing', async () => {
      const token = await merchant.tokenize();
      const paid = await merchant.post('/v1/payments', { amount: 1200, currency: 'EUR', payment_method: token }).expect(201);
      expect(paid.body).toMatchObject({ status: 'captured', payment_method: { id: null, type: 'card', card: { brand: 'visa', last4: '4242', bin: '424242' } } });
      const again = await merchant.post('/v1/payments', { amount: 1200, currency: 'EUR', payment_method: token }).expect(400);
      expect(again.body.error).toMatchObject({ type: 'invalid_request_error', code: 'token_already_used', param: 'payment_method' });
      const list = await merchant.get('/v1/payments?limit=5').expect(200);
      expect(list.body.data.filter((p: { amount: number }) => p.amount === 1200)).toHaveLength(1);
    });

    it('replays a retried payment with the same Idempotency-Key instead of refusing its used token', async () => {
      const token = await merchant.tokenize();
      const body = { amount: 1300, currency: 'EUR', payment_method: token };
      const first = await merchant.post('/v1/payments', body, 'vault-retry-1').expect(201);
      const retry = await merchant.post('/v1/payments', body, 'vault-retry-1').expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body.id).toBe(first.body.id);
    });

    it("answers 404 for another merchant's token, and refuses an expired one", async () => {
      const token = await merchant.tokenize();
      const foreign = await other.post('/v1/payments', { amount: 1000, currency: 'EUR', payment_method: token }).expect(404);
      expect(foreign.body.error).toMatchObject({ type: 'not_found', param: 'payment_method' });
      await other.post('/v1/payment_methods', { token }, null).expect(404);

      const prisma = gateway.app.get<PrismaClient>(PRISMA);
      await prisma.cardToken.update({ where: { id: token }, data: { expiresAt: new Date(Date.now() - 1000) } });
      const expired = await merchant.post('/v1/payments', { amount: 1000, currency: 'EUR', payment_method: token }).expect(400);
      expect(expired.body.error).toMatchObject({ code: 'token_expired', param: 'payment_method' });
    });

    it('answers CORS for the allowed origins only', async () => {
      const preflight = await gateway.http.options('/v1/tokens').set('origin', SHOP).set('access-control-request-method', 'POST').expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(SHOP);
      expect(preflight.headers['access-control-allow-headers']).toContain('authorization');

      const card = { card: { number: '4242424242424242', exp_month: 12, exp_year: 2030 } };
      const allowed = await withKey(merchant.publishableKey, 'post', '/v1/tokens').set('origin', SHOP).send(card).expect(201);
      expect(allowed.headers['access-control-allow-origin']).toBe(SHOP);
      // The gateway's own pages (the hosted form), by its public URL.
      await withKey(merchant.publishableKey, 'post', '/v1/tokens').set('origin', PUBLIC_URL).send(card).expect(201);
      const refused = await withKey(merchant.publishableKey, 'post', '/v1/tokens').set('origin', 'https://evil.example').send(card).expect(403);
      expect(refused.body.error).toMatchObject({ code: 'origin_not_allowed' });
      // Refusals are readable by the page (a wrong key, an invalid card), so it can show why.
      const invalid = await withKey(merchant.publishableKey, 'post', '/v1/tokens').set('origin', SHOP).send({ card: { number: '42' } }).expect(400);
      expect(invalid.headers['access-control-allow-origin']).toBe(SHOP);
      const unknownKey = await withKey('pk_test_unknown', 'post', '/v1/tokens').set('origin', SHOP).send(card).expect(401);
      expect(unknownKey.headers['access-control-allow-origin']).toBe(SHOP);
    });
  });

  describe('customers and saved payment methods', () => {
    it('saves a token to a customer, lists and shows display data only, and detaches for good', async () => {
      const customer = await merchant.post('/v1/customers', { name: 'Jenny Rosen', email: 'jenny@example.com' }, null).expect(201);
      expect(customer.body).toMatchObject({ id: expect.stringMatching(/^cus_/), object: 'customer', name: 'Jenny Rosen', email: 'jenny@example.com' });
      const token = await merchant.tokenize('5555555555554444');
      const method = await merchant.post('/v1/payment_methods', { token, customer: customer.body.id }, null).expect(201);
      expect(method.body).toEqual({
        id: expect.stringMatching(/^pm_/),
        object: 'payment_method',
        type: 'card',
        card: { brand: 'mastercard', last4: '4444', exp_month: 12, exp_year: 2030, fingerprint: expect.any(String) },
        customer: customer.body.id,
        detached_at: null,
        created_at: expect.any(String),
      });
      // A retry (its answer was lost) answers the same method; a token used otherwise is refused.
      const retried = await merchant.post('/v1/payment_methods', { token, customer: customer.body.id }, null).expect(201);
      expect(retried.body.id).toBe(method.body.id);
      const paidWith = await merchant.tokenize('5555555555554444');
      await merchant.post('/v1/payments', { amount: 100, currency: 'EUR', payment_method: paidWith }).expect(201);
      const reused = await merchant.post('/v1/payment_methods', { token: paidWith, customer: customer.body.id }, null).expect(400);
      expect(reused.body.error).toMatchObject({ code: 'token_already_used', param: 'token' });

      // The same card tokenized again has the same fingerprint; another merchant's fingerprint of it differs.
      const twice = await merchant.post('/v1/payment_methods', { token: await merchant.tokenize('5555555555554444') }, null).expect(201);
      expect(twice.body.card.fingerprint).toBe(method.body.card.fingerprint);
      const elsewhere = await other.post('/v1/payment_methods', { token: await other.tokenize('5555555555554444') }, null).expect(201);
      expect(elsewhere.body.card.fingerprint).not.toBe(method.body.card.fingerprint);

      const listed = await merchant.get(`/v1/customers/${customer.body.id}/payment_methods`).expect(200);
      expect(listed.body).toMatchObject({ object: 'list', has_more: false });
      expect(listed.body.data.map((m: { id: string }) => m.id)).toEqual([method.body.id]);
      await merchant.get(`/v1/payment_methods/${method.body.id}`).expect(200);
      await other.get(`/v1/payment_methods/${method.body.id}`).expect(404);
      await other.get(`/v1/customers/${customer.body.id}/payment_methods`).expect(404);

      const paid = await merchant.post('/v1/payments', { amount: 700, currency: 'EUR', payment_method: method.body.id }).expect(201);
      expect(paid.body).toMatchObject({ status: 'captured', payment_method: { id: method.body.id, card: { last4: '4444' } }, customer: { id: customer.body.id } });

      const prisma = gateway.app.get<PrismaClient>(PRISMA);
      const { vaultCardId } = (await prisma.paymentMethod.findUniqueOrThrow({ where: { id: method.body.id } }));
      expect(await prisma.vaultCard.count({ where: { id: vaultCardId } })).toBe(1);
      const detached = await merchant.post(`/v1/payment_methods/${method.body.id}/detach`, {}, null).expect(200);
      expect(detached.body).toMatchObject({ customer: null, detached_at: expect.any(String) });
      // Its card is shredded from the vault: nothing is left that could charge it.
      expect(await prisma.vaultCard.count({ where: { id: vaultCardId } })).toBe(0);
      await merchant.post(`/v1/payment_methods/${method.body.id}/detach`, {}, null).expect(200);
      expect((await merchant.get(`/v1/customers/${customer.body.id}/payment_methods`).expect(200)).body.data).toEqual([]);
      const refused = await merchant.post('/v1/payments', { amount: 700, currency: 'EUR', payment_method: method.body.id, off_session: true }).expect(400);
      expect(refused.body.error).toMatchObject({ code: 'payment_method_detached', param: 'payment_method' });
    });

    it('refuses combinations that make no sense, before anything is charged', async () => {
      const token = await merchant.tokenize();
      const refusals = [
        [{ payment_method: token, off_session: true }, 'payment_method_required', 'payment_method'],
        [{ payment_method: token, setup_future_usage: 'off_session' }, 'customer_required', 'customer'],
        [{ payment_method: token, customer: 'cus_missing' }, 'resource_missing', 'customer'],
        [{ payment_method: 'pm_missing' }, 'resource_missing', 'payment_method'],
        [{ payment_method: 'card_4242' }, 'parameter_invalid', 'payment_method'],
        [{ payment_method: token, customer: 'bob' }, 'parameter_invalid', 'customer'],
        [{ payment_method: token, customer: { id: 'bob' } }, 'parameter_invalid', 'customer.id'],
        [{ payment_method: token, setup_future_usage: 'on_session' }, 'parameter_invalid', 'setup_future_usage'],
      ] as const;
      for (const [body, code, param] of refusals) {
        const answer = await merchant.post('/v1/payments', { amount: 999, currency: 'EUR', ...body });
        expect([400, 404], JSON.stringify(body)).toContain(answer.status);
        expect(answer.body.error, JSON.stringify(body)).toMatchObject({ code, param });
      }
      // The token was not used up by any of them.
      await merchant.post('/v1/payments', { amount: 999, currency: 'EUR', payment_method: token }).expect(201);
    });
  });

  describe('recurring payments', () => {
    it('saves the card of an approved first payment and charges it off-session with the network transaction id', async () => {
      const customer = await merchant.post('/v1/customers', {}, null).expect(201);
      const first = await merchant
        .post('/v1/payments', { amount: 2000, currency: 'USD', payment_method: await merchant.tokenize(), customer: customer.body.id, setup_future_usage: 'off_session' })
        .expect(201);
      expect(first.body).toMatchObject({ status: 'captured', setup_future_usage: 'off_session', off_session: false, customer: { id: customer.body.id } });
      const methodId: string = first.body.payment_method.id;
      expect(methodId).toMatch(/^pm_/);
      const firstRecord = storedCredentialAt(gateway, first.body);
      expect(firstRecord).toMatchObject({ initiator: 'customer', usage: 'first', networkTransactionId: expect.stringMatching(/^\d{15}$/) });
      const listed = await merchant.get(`/v1/customers/${customer.body.id}/payment_methods`).expect(200);
      expect(listed.body.data.map((m: { id: string }) => m.id)).toEqual([methodId]);

      const later = await merchant.post('/v1/payments', { amount: 990, currency: 'USD', payment_method: methodId, off_session: true }).expect(201);
      expect(later.body).toMatchObject({ status: 'captured', off_session: true, payment_method: { id: methodId }, customer: { id: customer.body.id } });
      expect(storedCredentialAt(gateway, later.body)).toMatchObject({
        initiator: 'merchant',
        usage: 'subsequent',
        sentNetworkTransactionId: firstRecord!.networkTransactionId,
      });
    });

    it('saves the card of a first payment approved after the shopper authenticated (3-D Secure)', async () => {
      const customer = await merchant.post('/v1/customers', {}, null).expect(201);
      const body = { amount: 2100, currency: 'EUR', payment_method: await merchant.tokenize('4000000000003220'), customer: customer.body.id, setup_future_usage: 'off_session', return_url: `${SHOP}/done` };
      const created = await merchant.post('/v1/payments', body).expect(201);
      expect(created.body).toMatchObject({ status: 'requires_action', payment_method: { id: null } });
      const returnData = await completeRedirect(created.body.next_action.url, `${PUBLIC_URL}/v1/payments/${created.body.id}/return`);
      await gateway.http.get(`/v1/payments/${created.body.id}/return?${new URLSearchParams(returnData)}`).redirects(0).expect(303);

      const settled = (await merchant.get(`/v1/payments/${created.body.id}`).expect(200)).body;
      expect(settled).toMatchObject({ status: 'captured', payment_method: { id: expect.stringMatching(/^pm_/) } });
      const listed = await merchant.get(`/v1/customers/${customer.body.id}/payment_methods`).expect(200);
      expect(listed.body.data.map((m: { id: string }) => m.id)).toEqual([settled.payment_method.id]);
      const first = storedCredentialAt(gateway, settled)!;
      // Off-session, the same card needs no shopper: it is exempt with the first payment's network transaction id.
      const later = await merchant.post('/v1/payments', { amount: 500, currency: 'EUR', payment_method: settled.payment_method.id, off_session: true }).expect(201);
      expect(later.body.status).toBe('captured');
      expect(storedCredentialAt(gateway, later.body)).toMatchObject({ initiator: 'merchant', sentNetworkTransactionId: first.networkTransactionId, mitExemption: true });
    });

    it('saves the card of a first payment that reconciliation settled after its request', async () => {
      const customer = await merchant.post('/v1/customers', {}, null).expect(201);
      const token = await merchant.tokenize();
      // The USD leaf answers nothing, status inquiries included: the payment stays pending.
      await putFault(gateway, 'sim-gamma', { mode: 'timeout' });
      const created = await merchant.post('/v1/payments', { amount: 2200, currency: 'USD', payment_method: token, customer: customer.body.id, setup_future_usage: 'off_session' }).expect(201);
      await deleteFault(gateway, 'sim-gamma');
      expect(created.body).toMatchObject({ status: 'pending', payment_method: { id: null } });
      const run = await gateway.http.post('/v1/ops/reconcile').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
      expect(run.body.settled).toContainEqual({ payment_id: created.body.id, from: 'pending', to: 'captured' });
      expect(run.body.payment_methods_saved).toBeGreaterThanOrEqual(1);

      const settled = (await merchant.get(`/v1/payments/${created.body.id}`).expect(200)).body;
      expect(settled.payment_method.id).toMatch(/^pm_/);
      const listed = await merchant.get(`/v1/customers/${customer.body.id}/payment_methods`).expect(200);
      expect(listed.body.data.map((m: { id: string }) => m.id)).toEqual([settled.payment_method.id]);
      // Saved once: another run saves nothing more for it.
      const again = await gateway.http.post('/v1/ops/reconcile').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
      expect(again.body.payment_methods_saved).toBe(0);
      expect((await merchant.get(`/v1/customers/${customer.body.id}/payment_methods`).expect(200)).body.data).toHaveLength(1);
    });

    it('refuses off-session payments of a method never set up with the customer present, until it is', async () => {
      const customer = await merchant.post('/v1/customers', {}, null).expect(201);
      const method = (await merchant.post('/v1/payment_methods', { token: await merchant.tokenize(), customer: customer.body.id }, null).expect(201)).body.id;
      const refused = await merchant.post('/v1/payments', { amount: 300, currency: 'EUR', payment_method: method, off_session: true }).expect(400);
      expect(refused.body.error).toMatchObject({ code: 'payment_method_not_set_up', param: 'payment_method' });
      const setUp = await merchant.post('/v1/payments', { amount: 300, currency: 'EUR', payment_method: method, setup_future_usage: 'off_session' }).expect(201);
      expect(setUp.body).toMatchObject({ status: 'captured', payment_method: { id: method }, customer: { id: customer.body.id } });
      expect(storedCredentialAt(gateway, setUp.body)).toMatchObject({ initiator: 'customer', usage: 'first' });
      const later = await merchant.post('/v1/payments', { amount: 300, currency: 'EUR', payment_method: method, off_session: true }).expect(201);
      expect(storedCredentialAt(gateway, later.body)).toMatchObject({ initiator: 'merchant', sentNetworkTransactionId: storedCredentialAt(gateway, setUp.body)!.networkTransactionId });
    });

    it('sets up a saved method whose first payment with the customer present reconciliation settled', async () => {
      const customer = await merchant.post('/v1/customers', {}, null).expect(201);
      const method = (await merchant.post('/v1/payment_methods', { token: await merchant.tokenize(), customer: customer.body.id }, null).expect(201)).body.id;
      await putFault(gateway, 'sim-gamma', { mode: 'timeout' });
      const created = await merchant.post('/v1/payments', { amount: 400, currency: 'USD', payment_method: method, setup_future_usage: 'off_session' }).expect(201);
      await deleteFault(gateway, 'sim-gamma');
      expect(created.body.status).toBe('pending');
      const run = await gateway.http.post('/v1/ops/reconcile').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
      expect(run.body.payment_methods_saved).toBeGreaterThanOrEqual(1);
      const later = await merchant.post('/v1/payments', { amount: 400, currency: 'USD', payment_method: method, off_session: true }).expect(201);
      expect(later.body.status).toBe('captured');
      expect(storedCredentialAt(gateway, later.body)).toMatchObject({ initiator: 'merchant', sentNetworkTransactionId: expect.stringMatching(/^\d{15}$/) });
    });

    it('saves nothing when the first payment is declined', async () => {
      const customer = await merchant.post('/v1/customers', {}, null).expect(201);
      const declined = await merchant
        .post('/v1/payments', {
          amount: 2000,
          currency: 'EUR',
          payment_method: { type: 'card', card: { number: '4000000000000002', exp_month: 12, exp_year: 2030 } },
          customer: customer.body.id,
          setup_future_usage: 'off_session',
        })
        .expect(201);
      expect(declined.body).toMatchObject({ status: 'declined', payment_method: { id: null } });
      expect((await merchant.get(`/v1/customers/${customer.body.id}/payment_methods`).expect(200)).body.data).toEqual([]);
    });

    it('saves a card sent as is by a merchant with the secret key', async () => {
      const customer = await merchant.post('/v1/customers', {}, null).expect(201);
      const first = await merchant.pay({ customer: customer.body.id, setup_future_usage: 'off_session' }).expect(201);
      expect(first.body.status).toBe('captured');
      expect(first.body.payment_method.id).toMatch(/^pm_/);
      const later = await merchant.post('/v1/payments', { amount: 500, currency: 'EUR', payment_method: first.body.payment_method.id, off_session: true }).expect(201);
      expect(later.body.status).toBe('captured');
    });
  });
});
