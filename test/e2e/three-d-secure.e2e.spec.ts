// 3-D Secure, offline end to end: a sandbox leaf asks for the shopper, a client that only submits
// forms plays the shopper on the leaf's own challenge page, the provider sends it back to the root's
// return endpoint, and the payment moves on with its events and webhooks; abandoned payments expire
// after a last look at the provider. Also through a remote subtree over TCP.
import { completeRedirect } from '#contract-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tree } from '#orchestration';
import type { ServedSubtree } from '#remote';
import { listenTarget, serveTestSubtree } from '../../libs/remote/test-support/served-subtree.js';
import { WebhookDispatcher } from '../../apps/gateway/src/webhooks/index.js';
import { pgliteBackend, testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, startGateway } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const PUBLIC_URL = 'http://canopy.test';
const MERCHANT_RETURN = 'https://shop.example/checkout/done?order=42';
const CARDS = { challenge: '4000000000003220', refused: '4000008400001629', frictionless: '4000000000003055' };
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** The shopper on the challenge page: submits its first button and stops where it is sent back to the root. */
async function shopperAuthenticates(payment: { id: string; next_action: { url: string } }): Promise<Record<string, string>> {
  return completeRedirect(payment.next_action.url, `${PUBLIC_URL}/v1/payments/${payment.id}/return`);
}

/** The shopper's browser arriving at the root's return endpoint with what the provider sent along. */
function shopperReturns(gateway: Gateway, paymentId: string, returnData: Record<string, string>) {
  const query = new URLSearchParams(returnData).toString();
  return gateway.http.get(`/v1/payments/${paymentId}/return${query ? `?${query}` : ''}`).redirects(0);
}

async function events(merchant: MerchantSession, id: string): Promise<string[]> {
  return ((await merchant.get(`/v1/payments/${id}/events`).expect(200)).body.data as { type: string }[]).map((event) => event.type);
}

async function drain(gateway: Gateway): Promise<void> {
  const dispatcher = gateway.app.get(WebhookDispatcher);
  while ((await dispatcher.dispatchDue(new Date())).claimed > 0);
}

describe.each(await testBackends())('3-D Secure redirects on $name', (backend) => {
  const started = gatewayForSuite(backend, { config: { publicUrl: PUBLIC_URL } });
  let gateway: Gateway;
  let merchant: MerchantSession;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
    receiver = await WebhookReceiver.start();
    await merchant.post('/v1/webhook_endpoints', { url: receiver.url, events: ['payment.requires_action', 'payment.captured', 'payment.declined'] }, null).expect(201);
  });
  afterAll(async () => receiver?.close());

  it('challenge card: requires_action → challenge page → return → captured, with its webhooks', async () => {
    const created = await merchant.pay({ return_url: MERCHANT_RETURN }, CARDS.challenge).expect(201);
    expect(created.body).toMatchObject({
      status: 'requires_action',
      amount_captured: 0,
      return_url: MERCHANT_RETURN,
      next_action: { type: 'redirect_to_url', url: expect.stringMatching(/^http:\/\//) },
      route: { path: expect.stringMatching(/^root\/eu\//) },
    });
    expect(created.body.route.attempts).toEqual([expect.objectContaining({ outcome: 'requires_action' })]);
    const id = created.body.id;

    const returnData = await shopperAuthenticates(created.body);
    const back = await shopperReturns(gateway, id, returnData);
    expect(back.status).toBe(303);
    const location = new URL(back.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example/checkout/done');
    expect(Object.fromEntries(location.searchParams)).toEqual({ order: '42', payment_id: id, status: 'captured' });

    const payment = (await merchant.get(`/v1/payments/${id}`).expect(200)).body;
    expect(payment).toMatchObject({ status: 'captured', amount_captured: 1000, next_action: null, decline_code: null });
    expect(payment.route.attempts).toEqual([expect.objectContaining({ outcome: 'approved', reason: expect.stringContaining('settled by shopper') })]);
    expect(await events(merchant, id)).toEqual(['payment.created', 'payment.requires_action', 'payment.authorized', 'payment.captured']);

    // Coming back twice (a reload) changes nothing.
    expect((await shopperReturns(gateway, id, returnData)).status).toBe(303);
    expect(await events(merchant, id)).toHaveLength(4);

    await drain(gateway);
    const bodies = receiver.received.map((webhook) => JSON.parse(webhook.body) as { type: string; payment_id: string });
    const delivered = bodies.filter((body) => body.payment_id === id).map((body) => body.type);
    expect(delivered).toEqual(['payment.requires_action', 'payment.captured']);
  });

  it('refused challenge: declined authentication_failed, nothing captured', async () => {
    const created = await merchant.pay({ return_url: MERCHANT_RETURN }, CARDS.refused).expect(201);
    expect(created.body.status).toBe('requires_action');
    const back = await shopperReturns(gateway, created.body.id, await shopperAuthenticates(created.body));
    expect(new URL(back.headers.location!).searchParams.get('status')).toBe('declined');
    expect((await merchant.get(`/v1/payments/${created.body.id}`).expect(200)).body).toMatchObject({
      status: 'declined',
      decline_code: 'authentication_failed',
      amount_captured: 0,
    });
  });

  it('frictionless card: captured in the call, no redirect', async () => {
    const created = await merchant.pay({ return_url: MERCHANT_RETURN }, CARDS.frictionless).expect(201);
    expect(created.body).toMatchObject({ status: 'captured', next_action: null });
  });

  it('without return_url a card that needs the shopper is declined authentication_required, never left waiting', async () => {
    const created = await merchant.pay({}, CARDS.challenge).expect(201);
    expect(created.body).toMatchObject({ status: 'declined', decline_code: 'authentication_required', next_action: null });
  });

  it('the merchant can confirm explicitly (the shopper authenticated but never came back), idempotently', async () => {
    const created = await merchant.pay({ return_url: MERCHANT_RETURN, capture: false }, CARDS.challenge).expect(201);
    const id = created.body.id;
    // Still waiting: confirm answers it as it is.
    expect((await merchant.post(`/v1/payments/${id}/confirm`, {}, null).expect(200)).body).toMatchObject({ status: 'requires_action' });
    await shopperAuthenticates(created.body);

    const confirmed = await merchant.post(`/v1/payments/${id}/confirm`, {}, null).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'authorized', next_action: null });
    const again = await merchant.post(`/v1/payments/${id}/confirm`, {}, merchant.newKey()).expect(200);
    expect(again.body.status).toBe('authorized');
    expect(await events(merchant, id)).toEqual(['payment.created', 'payment.requires_action', 'payment.authorized']);
    await merchant.post(`/v1/payments/${id}/capture`, {}).expect(200);

    // Another merchant cannot see it; an unknown payment is 404.
    const other = await MerchantSession.create(gateway, 'Other');
    await other.post(`/v1/payments/${id}/confirm`, {}, null).expect(404);
    await gateway.http.get('/v1/payments/pay_unknown/return').expect(404);
  });

  it('refuses a return_url that is not an http(s) URL (400, param return_url), and stores nothing', async () => {
    const refused = await merchant.pay({ return_url: 'javascript:alert(1)' }, CARDS.challenge).expect(400);
    expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', param: 'return_url' });
  });
});

describe.each(await testBackends())('abandoned 3-D Secure payments on $name', (backend) => {
  // Every payment's wait for its shopper is over at once, so reconciliation looks at each.
  const started = gatewayForSuite(backend, { config: { publicUrl: PUBLIC_URL, actionTimeoutMs: 1 } });
  let gateway: Gateway;
  let merchant: MerchantSession;

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
  });

  const reconcile = async () => (await gateway.http.post('/v1/ops/reconcile').set(admin).expect(200)).body as { settled: { payment_id: string; from: string; to: string }[] };

  it('expires one the shopper abandoned: failed authentication_abandoned, after asking the provider', async () => {
    const created = await merchant.pay({ return_url: MERCHANT_RETURN }, CARDS.challenge).expect(201);
    const id = created.body.id;
    const report = await reconcile();
    expect(report.settled.filter((row) => row.payment_id === id)).toEqual([{ payment_id: id, from: 'requires_action', to: 'failed' }]);
    expect((await merchant.get(`/v1/payments/${id}`).expect(200)).body).toMatchObject({ status: 'failed', decline_code: 'authentication_abandoned', next_action: null });
    // The challenge was cancelled at the leaf: coming back late changes nothing.
    await shopperReturns(gateway, id, {}).expect(303);
    expect((await merchant.get(`/v1/payments/${id}`).expect(200)).body.status).toBe('failed');
  });

  it('settles one whose shopper authenticated without coming back as the provider says, instead of giving it up', async () => {
    const created = await merchant.pay({ return_url: MERCHANT_RETURN }, CARDS.challenge).expect(201);
    await shopperAuthenticates(created.body);
    const report = await reconcile();
    expect(report.settled.filter((row) => row.payment_id === created.body.id)).toEqual([{ payment_id: created.body.id, from: 'requires_action', to: 'captured' }]);
  });
});

describe('3-D Secure through a remote subtree over TCP', () => {
  let served: ServedSubtree & { tree: Tree };
  let gateway: Gateway;
  let merchant: MerchantSession;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    served = await serveTestSubtree(
      { root: { id: 'edge', type: 'router', strategy: 'priority', children: [{ id: 'far-sim', type: 'simulator', options: { currencies: ['USD'] } }] } },
      listenTarget('tcp', undefined, 'three-d-secure'),
    );
    const target = served.target as { host: string; port: number };
    const tree = {
      root: {
        id: 'root',
        type: 'router',
        strategy: 'rules',
        rules: [{ when: { currency: ['USD'] }, to: 'far' }],
        default: 'near',
        children: [
          { id: 'near', type: 'simulator' },
          { id: 'far', type: 'remote', transport: 'tcp', options: { host: target.host, port: target.port } },
        ],
      },
    };
    const database = await pgliteBackend.create();
    drop = database.drop;
    gateway = await startGateway(database.config, tree, ['error'], { publicUrl: PUBLIC_URL });
    merchant = await MerchantSession.create(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
    await served?.close();
    await drop?.();
  });

  it('requires_action at the far leaf → its challenge page → return → captured, down the recorded path', async () => {
    const created = await merchant.pay({ currency: 'USD', return_url: MERCHANT_RETURN }, CARDS.challenge).expect(201);
    expect(created.body).toMatchObject({ status: 'requires_action', route: { path: 'root/far/edge/far-sim' } });
    const back = await shopperReturns(gateway, created.body.id, await shopperAuthenticates(created.body));
    expect(back.status).toBe(303);
    expect((await merchant.get(`/v1/payments/${created.body.id}`).expect(200)).body).toMatchObject({ status: 'captured', amount_captured: 1000 });
  });
});
