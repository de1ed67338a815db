import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PRISMA, type PrismaClient, writeParts } from '#persistence';
import { openSecret, sealSecret } from '../../apps/gateway/src/common/secret-box.js';
import { GATEWAY_CONFIG } from '../../apps/gateway/src/common/tokens.js';
import type { GatewayConfig } from '../../apps/gateway/src/config/gateway-config.js';
import {
  SecretsReseal,
  verifyWebhook,
  WEBHOOK_EVENT_TYPES,
  WebhookDeliveryStore,
  WebhookDispatcher,
  WebhookEndpointsRepository,
} from '../../apps/gateway/src/webhooks/index.js';
import { PaymentEventLog } from '../../apps/gateway/src/payments/index.js';
import { type TestBackend, testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, startGateway } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** Generous: a loaded CI machine must not turn a slow loopback answer into a retry. */
const RECEIVER_TIMEOUT_MS = 5_000;
/** The dispatcher's lease: receiver timeout + 60 s. */
const LEASE_MS = RECEIVER_TIMEOUT_MS + 60_000;

const later = (ms: number) => new Date(Date.now() + ms);

/** A gateway (dispatcher loop off: tests drive `dispatchDue`) and a merchant with a receiver. */
function webhookSuite(backend: TestBackend) {
  const started = gatewayForSuite(backend, { config: { webhooks: { intervalMs: 0, timeoutMs: RECEIVER_TIMEOUT_MS, allowPrivateNetworks: true } } });
  const state = {} as { gateway: Gateway; merchant: MerchantSession; receiver: WebhookReceiver };
  beforeAll(async () => {
    state.gateway = started();
    state.receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await state.receiver?.close();
  });
  afterEach(() => state.receiver.reset());
  return state;
}

async function newMerchantWithEndpoint(gateway: Gateway, url: string, events: string[] = [...WEBHOOK_EVENT_TYPES]) {
  const merchant = await MerchantSession.create(gateway);
  const endpoint = await merchant.post('/v1/webhook_endpoints', { url, events }, null).expect(201);
  return { merchant, endpoint: endpoint.body as { id: string; secret: string; status: string } };
}

/** Dispatches until nothing is due at `now` (several rounds when there are more than a batch). */
async function drain(gateway: Gateway, now = new Date()) {
  const dispatcher = gateway.app.get(WebhookDispatcher);
  let claimed = 0;
  for (;;) {
    const summary = await dispatcher.dispatchDue(now);
    if (summary.claimed === 0) return claimed;
    claimed += summary.claimed;
  }
}

describe.each(await testBackends())('webhooks on $name', (backend) => {
  const suite = webhookSuite(backend);

  it('creates an endpoint with a secret shown once, lists, reads and deletes it', async () => {
    const { gateway } = suite;
    const merchant = await MerchantSession.create(gateway);
    const created = await merchant
      .post('/v1/webhook_endpoints', { url: 'https://example.com/hooks', events: ['payment.captured'] }, null)
      .expect(201);
    expect(created.body).toMatchObject({
      object: 'webhook_endpoint',
      url: 'https://example.com/hooks',
      events: ['payment.captured'],
      status: 'enabled',
    });
    expect(created.body.id).toMatch(/^we_/);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const listed = await merchant.get('/v1/webhook_endpoints').expect(200);
    expect(listed.body).toMatchObject({ object: 'list', has_more: false });
    expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([created.body.id]);
    const read = await merchant.get(`/v1/webhook_endpoints/${created.body.id}`).expect(200);
    expect(read.body).not.toHaveProperty('secret');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);

    const deleted = await gateway.http
      .delete(`/v1/webhook_endpoints/${created.body.id}`)
      .set('authorization', `Bearer ${merchant.apiKey}`)
      .expect(200);
    expect(deleted.body).toEqual({ id: created.body.id, object: 'webhook_endpoint', deleted: true });
    await merchant.get(`/v1/webhook_endpoints/${created.body.id}`).expect(404);
    expect((await merchant.get('/v1/webhook_endpoints').expect(200)).body.data).toEqual([]);
  });

  it.each([
    [{ url: 'ftp://example.com/x', events: ['payment.captured'] }, 'url'],
    [{ url: 'javascript:alert(1)', events: ['payment.captured'] }, 'url'],
    [{ url: 'example.com/hooks', events: ['payment.captured'] }, 'url'],
    [{ url: 'https://user:pw@example.com/x', events: ['payment.captured'] }, 'url'],
    [{ events: ['payment.captured'] }, 'url'],
    [{ url: 'https://example.com/x', events: [] }, 'events'],
    [{ url: 'https://example.com/x', events: ['payment.created'] }, 'events'],
    [{ url: 'https://example.com/x', events: ['payment.captured', 'payment.captured'] }, 'events'],
    [{ url: 'https://example.com/x', events: 'payment.captured' }, 'events'],
    [{ url: 'https://example.com/x', events: ['payment.captured'], secret: 'whsec_mine' }, 'secret'],
  ])('refuses %j naming %s', async (body, param) => {
    const merchant = await MerchantSession.create(suite.gateway);
    const response = await merchant.post('/v1/webhook_endpoints', body, null).expect(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('delivers every subscribed state change, signed, with the ids and bodies of GET /events', async () => {
    const { gateway, receiver } = suite;
    const { merchant, endpoint } = await newMerchantWithEndpoint(gateway, receiver.url);
    const onlyRefunds = await merchant
      .post('/v1/webhook_endpoints', { url: `${receiver.url}/refunds`, events: ['payment.refunded'] }, null)
      .expect(201);
    const payment = (await merchant.pay({ capture: false }).expect(201)).body;
    await merchant.post(`/v1/payments/${payment.id}/capture`, { amount: 600 }).expect(200);
    await merchant.post(`/v1/payments/${payment.id}/refunds`, { amount: 100 }).expect(201);
    const declined = (await merchant.pay({}, '4000000000000002').expect(201)).body;

    expect(await drain(gateway)).toBe(5);

    const events = [
      ...(await merchant.get(`/v1/payments/${payment.id}/events`).expect(200)).body.data,
      ...(await merchant.get(`/v1/payments/${declined.id}/events`).expect(200)).body.data,
    ].filter((event: { type: string }) => event.type !== 'payment.created');
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'payment.authorized',
      'payment.captured',
      'payment.refunded',
      'payment.declined',
    ]);
    // One endpoint got all four; the refunds-only endpoint got the refund: five deliveries.
    expect(receiver.received).toHaveLength(5);
    const signedWith = (secret: string) =>
      receiver.received.filter((webhook) => {
        try {
          verifyWebhook({ secret, headers: webhook.headers, body: webhook.body });
          return true;
        } catch {
          return false;
        }
      });
    const toAll = signedWith(endpoint.secret);
    expect(toAll.map((w) => w.id).sort()).toEqual(events.map((e: { id: string }) => e.id).sort());
    for (const webhook of toAll) {
      const event = events.find((e: { id: string }) => e.id === webhook.id);
      expect(verifyWebhook({ secret: endpoint.secret, headers: webhook.headers, body: webhook.body })).toEqual(event);
      expect(webhook.headers['content-type']).toBe('application/json');
      expect(Math.abs(Number(webhook.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    }
    const refundEvent = events.find((e: { type: string }) => e.type === 'payment.refunded');
    expect(signedWith(onlyRefunds.body.secret).map((w) => w.id)).toEqual([refundEvent.id]);

    // Delivered means done: nothing more is sent, however late.
    expect(await drain(gateway, later(10 * 24 * 3600_000))).toBe(0);
  });

  it('retries a receiver that answers 500 twice, once per retry, then stops after its 200', async () => {
    const { gateway, receiver } = suite;
    const { merchant, endpoint } = await newMerchantWithEndpoint(gateway, receiver.url, ['payment.captured']);
    receiver.answer([500, 500]);
    await merchant.pay().expect(201);
    const dispatcher = gateway.app.get(WebhookDispatcher);

    expect(await dispatcher.dispatchDue()).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await dispatcher.dispatchDue(later(1_000))).toMatchObject({ claimed: 0 }); // the first retry waits 5–6.25 s
    expect(await dispatcher.dispatchDue(later(7_000))).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await dispatcher.dispatchDue(later(20_000))).toMatchObject({ claimed: 0 }); // then 20–25 s more
    expect(await dispatcher.dispatchDue(later(40_000))).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await drain(gateway, later(7 * 24 * 3600_000))).toBe(0);

    expect(receiver.received.map((w) => w.status)).toEqual([500, 500, 200]);
    expect(new Set(receiver.idsReceived()).size).toBe(1);
    for (const webhook of receiver.received) {
      verifyWebhook({ secret: endpoint.secret, headers: webhook.headers, body: webhook.body });
    }
    const prisma = gateway.app.get<PrismaClient>(PRISMA);
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200, lockedUntil: null });
  });

  it('disables an endpoint that answers 410 and stops its pending deliveries', async () => {
    const { gateway, receiver } = suite;
    const { merchant, endpoint } = await newMerchantWithEndpoint(gateway, receiver.url, ['payment.captured']);
    receiver.answer([500, 410]);
    await merchant.pay().expect(201);
    await gateway.app.get(WebhookDispatcher).dispatchDue(); // 500: the first payment's delivery waits for its retry
    await merchant.pay().expect(201);
    expect(await gateway.app.get(WebhookDispatcher).dispatchDue()).toMatchObject({ claimed: 1, disabled: 1 });

    const read = await merchant.get(`/v1/webhook_endpoints/${endpoint.id}`).expect(200);
    expect(read.body).toMatchObject({ status: 'disabled', disabled_reason: 'the receiver answered 410 Gone' });
    await merchant.pay().expect(201); // no delivery is written for a disabled endpoint
    expect(await drain(gateway, later(10 * 24 * 3600_000))).toBe(0);
    expect(receiver.received.map((w) => w.status)).toEqual([500, 410]);
    const prisma = gateway.app.get<PrismaClient>(PRISMA);
    const deliveries = await prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(deliveries.map((d) => d.status).sort()).toEqual(['cancelled', 'cancelled']);
  });

  it('does not lose an event when the dispatcher dies between the send and its record', async () => {
    const { gateway, receiver } = suite;
    const { merchant, endpoint } = await newMerchantWithEndpoint(gateway, receiver.url, ['payment.captured']);
    await merchant.pay().expect(201);
    const store = gateway.app.get(WebhookDeliveryStore);
    const crash = vi.spyOn(store, 'recordResult').mockRejectedValueOnce(new Error('process killed'));
    const dispatcher = gateway.app.get(WebhookDispatcher);

    expect(await dispatcher.dispatchDue()).toMatchObject({ claimed: 1, unrecorded: 1 });
    expect(receiver.received).toHaveLength(1);
    // Still leased: nobody sends it again before the lease runs out...
    expect(await dispatcher.dispatchDue(later(LEASE_MS - 5_000))).toMatchObject({ claimed: 0 });
    // ...then it is sent again, with the same webhook-id for the receiver to drop the duplicate.
    expect(await dispatcher.dispatchDue(later(LEASE_MS + 1_000))).toMatchObject({ claimed: 1, delivered: 1 });
    crash.mockRestore();
    expect(await drain(gateway, later(10 * 24 * 3600_000))).toBe(0);
    expect(receiver.received).toHaveLength(2);
    expect(new Set(receiver.idsReceived()).size).toBe(1);
    const prisma = gateway.app.get<PrismaClient>(PRISMA);
    expect(await prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } })).toMatchObject({
      status: 'delivered',
      attempts: 2,
    });
  });

  it('never delivers one event twice with several dispatch rounds racing', async () => {
    const { gateway, receiver } = suite;
    const { merchant } = await newMerchantWithEndpoint(gateway, receiver.url);
    for (let i = 0; i < 20; i += 1) await merchant.pay().expect(201); // 40 deliveries: more than one batch
    const dispatcher = gateway.app.get(WebhookDispatcher);
    for (let round = 0; round < 10; round += 1) {
      const summaries = await Promise.all(Array.from({ length: 4 }, () => dispatcher.dispatchDue()));
      if (summaries.every((summary) => summary.claimed === 0)) break;
    }
    expect(receiver.received).toHaveLength(40);
    expect(new Set(receiver.idsReceived()).size).toBe(40);
  });

  it('delivers payment.pending_resolved once reconciliation settles a pending payment', async () => {
    const { gateway, receiver } = suite;
    const { merchant, endpoint } = await newMerchantWithEndpoint(gateway, receiver.url, ['payment.captured', 'payment.pending_resolved']);
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    await gateway.http.put('/v1/ops/nodes/sim-gamma/faults').set(admin).send({ mode: 'timeout' }).expect(200);
    const pending = (await merchant.pay({ currency: 'USD' }).expect(201)).body;
    await gateway.http.delete('/v1/ops/nodes/sim-gamma/faults').set(admin).expect(200);
    expect(pending.status).toBe('pending');
    expect(await drain(gateway)).toBe(0); // nothing subscribed has happened yet

    // Reconciliation asks the leaf for its status; on a loaded machine one inquiry may time out.
    await vi.waitFor(
      async () => {
        await gateway.http.post('/v1/ops/reconcile').set(admin).expect(200);
        expect((await merchant.get(`/v1/payments/${pending.id}`).expect(200)).body.status).not.toBe('pending');
      },
      { timeout: 15_000, interval: 200 },
    );
    const events = (await merchant.get(`/v1/payments/${pending.id}/events`).expect(200)).body.data;
    const delivered = events.filter((e: { type: string }) => e.type === 'payment.captured' || e.type === 'payment.pending_resolved');
    expect(delivered.map((e: { type: string }) => e.type)).toContain('payment.pending_resolved');
    expect(await drain(gateway)).toBe(delivered.length);
    expect(receiver.idsReceived().sort()).toEqual(delivered.map((e: { id: string }) => e.id).sort());
    for (const webhook of receiver.received) verifyWebhook({ secret: endpoint.secret, headers: webhook.headers, body: webhook.body });
  });

  it('writes deliveries in the transaction of the state change: a rollback leaves neither', async () => {
    const { gateway } = suite;
    const { merchant, endpoint } = await newMerchantWithEndpoint(gateway, 'https://merchant.example/hooks', ['payment.refunded']);
    const paid = (await merchant.pay().expect(201)).body;
    const prisma = gateway.app.get<PrismaClient>(PRISMA);
    const change = { from: 'captured' as const, to: 'refunded' as const };
    await expect(
      prisma.$transaction(async (tx) => {
        const events = gateway.app.get(PaymentEventLog).parts({ id: paid.id, merchantId: merchant.merchantId }, [change], new Date());
        await writeParts(tx, events, 'the refund event');
        expect(await tx.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);
        throw new Error('the state change failed after its events were written');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await prisma.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
    expect(await prisma.paymentEvent.count({ where: { paymentId: paid.id, type: 'payment.refunded' } })).toBe(0);
  });

  it('cancels the pending deliveries of a deleted endpoint', async () => {
    const { gateway, receiver } = suite;
    const { merchant, endpoint } = await newMerchantWithEndpoint(gateway, receiver.url, ['payment.captured']);
    await merchant.pay().expect(201);
    await gateway.http
      .delete(`/v1/webhook_endpoints/${endpoint.id}`)
      .set('authorization', `Bearer ${merchant.apiKey}`)
      .expect(200);
    expect(await drain(gateway)).toBe(0);
    expect(receiver.received).toHaveLength(0);
  });
});

describe.each(await testBackends())('webhook secrets sealed at rest on $name', (backend) => {
  const secretsKey = randomBytes(32);
  const started = gatewayForSuite(backend, { config: { webhooks: { intervalMs: 0, timeoutMs: RECEIVER_TIMEOUT_MS, allowPrivateNetworks: true, secretsKey } } });
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(() => receiver.close());

  it('stores the secret sealed, shows it in clear once, and signs with it', async () => {
    const gateway = started();
    const { merchant, endpoint } = await newMerchantWithEndpoint(gateway, receiver.url, ['payment.captured']);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const stored = await gateway.app.get<PrismaClient>(PRISMA).webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(stored.secret).toMatch(/^sealed:v1:/);
    expect(stored.secret).not.toContain(endpoint.secret.slice('whsec_'.length, 30));

    await merchant.pay().expect(201);
    expect(await drain(gateway)).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const webhook = receiver.received[0]!;
    expect(verifyWebhook({ secret: endpoint.secret, headers: webhook.headers, body: webhook.body })).toMatchObject({ type: 'payment.captured' });
  });

  it('re-seals at start what the current key cannot open: secrets in clear, and sealed with the previous key', async () => {
    const gateway = started();
    const prisma = gateway.app.get<PrismaClient>(PRISMA);
    const { merchant } = await newMerchantWithEndpoint(gateway, receiver.url, ['payment.captured']);
    const merchantId = (await prisma.webhookEndpoint.findFirstOrThrow({ where: { url: receiver.url } })).merchantId;
    const previous = randomBytes(32);
    const inClear = 'whsec_' + randomBytes(32).toString('base64');
    const underPrevious = 'whsec_' + randomBytes(32).toString('base64');
    const lost = sealSecret('whsec_' + randomBytes(32).toString('base64'), randomBytes(32));
    const endpoint = (id: string, secret: string) => ({ id, merchantId, url: 'https://hooks.example.com/x', events: ['payment.voided'], secret });
    await prisma.webhookEndpoint.createMany({
      data: [endpoint('we_clear', inClear), endpoint('we_previous', sealSecret(underPrevious, previous)), endpoint('we_lost', lost)],
    });
    const config = gateway.app.get<GatewayConfig>(GATEWAY_CONFIG);
    const reseal = new SecretsReseal(gateway.app.get(WebhookEndpointsRepository), { ...config, webhooks: { ...config.webhooks, secretsKey, previousSecretsKey: previous } });

    expect(await reseal.run()).toBe(2);
    const stored = async (id: string) => (await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id } })).secret;
    expect(openSecret(await stored('we_clear'), [secretsKey])).toBe(inClear);
    expect(openSecret(await stored('we_previous'), [secretsKey])).toBe(underPrevious);
    expect(await stored('we_lost')).toBe(lost);
    // Nothing left to do: the previous key may go.
    expect(await reseal.run()).toBe(0);
    // Without a rotation, only secrets in clear are looked at.
    await prisma.webhookEndpoint.create({ data: endpoint('we_clear_2', inClear) });
    const steady = new SecretsReseal(gateway.app.get(WebhookEndpointsRepository), { ...config, webhooks: { ...config.webhooks, secretsKey } });
    expect(await steady.run()).toBe(1);
    expect(openSecret(await stored('we_clear_2'), [secretsKey])).toBe(inClear);
    expect((await merchant.get('/v1/webhook_endpoints').expect(200)).text).not.toMatch(/sealed:v1|whsec_/);
  });
});

describe.each(await testBackends())('webhook receivers inside the network on $name', (backend) => {
  // Production's default: merchants may not point the gateway at its own network (SSRF).
  const started = gatewayForSuite(backend, { config: { webhooks: { intervalMs: 0, timeoutMs: 2_000, allowPrivateNetworks: false } } });

  it('refuses endpoints on loopback, private or link-local addresses, and accepts public ones', async () => {
    const merchant = await MerchantSession.create(started());
    for (const url of ['http://127.0.0.1:9000/hooks', 'http://localhost/hooks', 'http://10.0.0.7/hooks', 'http://169.254.169.254/latest', 'http://[::1]/hooks']) {
      const refused = await merchant.post('/v1/webhook_endpoints', { url, events: ['payment.captured'] }, null).expect(400);
      expect(refused.body.error, url).toMatchObject({ type: 'invalid_request_error', code: 'webhook_url_not_allowed', param: 'url' });
    }
    expect((await merchant.get('/v1/webhook_endpoints').expect(200)).body.data).toEqual([]);
    await merchant.post('/v1/webhook_endpoints', { url: 'https://hooks.example.com/canopy', events: ['payment.captured'] }, null).expect(201);
  });
});

describe.each(await testBackends())('the background dispatcher on $name', (backend) => {
  const TIMEOUT_MS = 300;
  const started = gatewayForSuite(backend, { config: { webhooks: { intervalMs: 50, timeoutMs: TIMEOUT_MS, allowPrivateNetworks: true } } });
  const state = {} as { gateway: Gateway; receiver: WebhookReceiver };
  beforeAll(async () => {
    state.receiver = await WebhookReceiver.start();
    state.gateway = started();
  });
  afterAll(async () => {
    await state.receiver?.close();
  });

  it('delivers on its own at the configured interval', async () => {
    const { merchant } = await newMerchantWithEndpoint(state.gateway, state.receiver.url, ['payment.captured']);
    await merchant.pay().expect(201);
    await vi.waitFor(() => expect(state.receiver.received).toHaveLength(1), { timeout: 5_000, interval: 25 });
  });

  it('gives a receiver a bounded time to answer, then schedules a retry', async () => {
    const { gateway, receiver } = state;
    receiver.reset();
    receiver.answer(['hang']);
    const { merchant, endpoint } = await newMerchantWithEndpoint(gateway, receiver.url, ['payment.captured']);
    await merchant.pay().expect(201);
    const prisma = gateway.app.get<PrismaClient>(PRISMA);
    const delivery = await vi.waitFor(
      async () => {
        const row = await prisma.webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
        expect(row.lastError).toBe(`no answer within ${TIMEOUT_MS} ms`);
        return row;
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(receiver.received).toHaveLength(1);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null, lockedUntil: null });
    expect(delivery.nextAttemptAt.getTime()).toBeGreaterThan(delivery.updatedAt.getTime() + 4_000); // retry 1: 5–6.25 s
  });
});

// Two processes dispatching from one PostgreSQL; PGlite is one process's database.
const postgres = (await testBackends()).find((backend) => backend.name === 'postgres');

describe.runIf(postgres)('two gateways dispatching from one PostgreSQL', () => {
  let one: Gateway;
  let two: Gateway;
  let receiver: WebhookReceiver;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await postgres!.create();
    drop = database.drop;
    const overrides = { webhooks: { intervalMs: 0, timeoutMs: 2_000, allowPrivateNetworks: true } };
    [one, two] = await Promise.all([
      startGateway(database.config, undefined, ['error'], overrides),
      startGateway(database.config, undefined, ['error'], overrides),
    ]);
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver?.close();
    await Promise.all([one?.close(), two?.close()]);
    await drop?.();
  });

  it('deliver each event once between them', async () => {
    const { merchant } = await newMerchantWithEndpoint(one, receiver.url);
    const onTwo = merchant.on(two);
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? merchant : onTwo).pay().expect(201)));
    const dispatchers = [one, two].map((gateway) => gateway.app.get(WebhookDispatcher));
    for (let round = 0; round < 6; round += 1) {
      await Promise.all([...dispatchers, ...dispatchers].map((dispatcher) => dispatcher.dispatchDue()));
    }
    expect(receiver.received).toHaveLength(60);
    expect(new Set(receiver.idsReceived()).size).toBe(60);
  });
});
