import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../support/databases.js';
import { WebhookDispatcher } from '../../apps/gateway/src/webhooks/index.js';
import { ADMIN_TOKEN, type Gateway, MerchantSession, startGateway } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/** The value of one sample of the exposition text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(/,(?=\w+=)/);
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return undefined;
}

describe('Prometheus metrics', () => {
  let gateway: Gateway;
  let other: Gateway;
  let merchant: MerchantSession;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const scrape = async (on: Gateway = gateway) => {
    const response = await on.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text;
  };

  beforeAll(async () => {
    const database = await pgliteBackend.create();
    // Two gateways in one process: each has its own registry.
    [gateway, other] = await Promise.all([startGateway(database.config), startGateway(database.config)]);
    merchant = await MerchantSession.create(gateway);
  });

  afterAll(async () => {
    await Promise.all([gateway?.close(), other?.close()]);
  });

  it('starts with a zero series per node and outcome, and needs no token', async () => {
    const text = await scrape();
    for (const node of ['root', 'eu', 'sim-alpha', 'sim-beta', 'us', 'sim-gamma', 'sim-delta', 'global']) {
      expect(sample(text, 'canopy_node_attempts_total', { node, outcome: 'approved' }), node).toBe(0);
      expect(sample(text, 'canopy_node_breaker_state', { node }) ?? 0, node).toBe(0);
    }
    expect(sample(text, 'canopy_node_breaker_state', { node: 'sim-alpha' })).toBe(0);
    expect(sample(text, 'canopy_payments_pending')).toBe(0);
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('counts attempts, latencies and requests after payments, with bounded labels', async () => {
    for (let i = 0; i < 3; i++) await merchant.pay().expect(201);
    await merchant.pay({}, '4000000000000002').expect(201);
    await merchant.get('/v1/payments/pay_doesnotexist').expect(404);
    const text = await scrape();

    expect(sample(text, 'canopy_node_attempts_total', { node: 'root', outcome: 'approved' })).toBe(3);
    expect(sample(text, 'canopy_node_attempts_total', { node: 'root', outcome: 'declined' })).toBe(1);
    const leaves = ['sim-alpha', 'sim-beta'].map((node) => sample(text, 'canopy_node_attempts_total', { node, outcome: 'approved' }) ?? 0);
    expect(leaves[0]! + leaves[1]!).toBe(3);
    expect(sample(text, 'canopy_node_attempt_duration_seconds_count', { node: 'eu' })).toBe(4);
    expect(sample(text, 'canopy_http_request_duration_seconds_count', { method: 'POST', route: '/v1/payments', status_code: '201' })).toBe(4);
    expect(sample(text, 'canopy_http_request_duration_seconds_count', { method: 'GET', route: '/v1/payments/:id', status_code: '404' })).toBe(1);
    // Labels name routes and nodes, never objects.
    expect(text).not.toMatch(/pay_|mer_|sk_test_/);

    // The other gateway's registry saw none of it.
    expect(sample(await scrape(other), 'canopy_node_attempts_total', { node: 'root', outcome: 'approved' })).toBe(0);
  });

  it('counts webhook deliveries by result', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      await merchant.post('/v1/webhook_endpoints', { url: receiver.url, events: ['payment.captured'] }, null).expect(201);
      receiver.answer([200, 500]);
      await merchant.pay().expect(201);
      await merchant.pay().expect(201);
      expect(await gateway.app.get(WebhookDispatcher).dispatchDue()).toMatchObject({ delivered: 1, retrying: 1 });
      const text = await scrape();
      expect(sample(text, 'canopy_webhook_deliveries_total', { result: 'delivered' })).toBe(1);
      expect(sample(text, 'canopy_webhook_deliveries_total', { result: 'retrying' })).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('gauges pending payments and breaker states at scrape time', async () => {
    // Both US leaves take the charge but never answer: the payment stays pending.
    for (const node of ['sim-gamma', 'sim-delta']) {
      await gateway.http.put(`/v1/ops/nodes/${node}/faults`).set(admin).send({ mode: 'timeout' }).expect(200);
    }
    try {
      const pending = await merchant.pay({ currency: 'USD' }).expect(201);
      expect(pending.body.status).toBe('pending');
      const text = await scrape();
      expect(sample(text, 'canopy_payments_pending')).toBe(1);
      expect(sample(text, 'canopy_node_attempts_total', { node: 'us', outcome: 'unknown' })).toBeGreaterThanOrEqual(1);

      // A leaf that refuses every call opens its breaker after a few failures (weighted: ~70% of calls reach it).
      await gateway.http.put('/v1/ops/nodes/sim-alpha/faults').set(admin).send({ mode: 'down' }).expect(200);
      const alphaBreaker = async () => {
        const tree = (await gateway.http.get('/v1/ops/tree').set(admin).expect(200)).body;
        const eu = tree.children.find((node: { id: string }) => node.id === 'eu');
        return eu.children.find((node: { id: string }) => node.id === 'sim-alpha').breaker.state as string;
      };
      for (let i = 0; i < 30 && (await alphaBreaker()) !== 'open'; i++) await merchant.pay({ currency: 'GBP' }).expect(201);
      expect(await alphaBreaker()).toBe('open');
      const after = await scrape();
      expect(sample(after, 'canopy_node_breaker_state', { node: 'sim-alpha' })).toBe(2);
      expect(sample(after, 'canopy_node_breaker_state', { node: 'sim-beta' })).toBe(0);
    } finally {
      for (const node of ['sim-gamma', 'sim-delta', 'sim-alpha']) {
        await gateway.http.delete(`/v1/ops/nodes/${node}/faults`).set(admin).expect(200);
      }
    }
  });
});
