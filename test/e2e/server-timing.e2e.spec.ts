import { describe, expect, it } from 'vitest';
import { pgliteBackend } from '../support/databases.js';
import { gatewayForSuite, MerchantSession, paymentBody } from '../support/gateway-harness.js';

/** One leaf that takes 20 ms per call, so the tree's share of an answer is measurable. */
const SLOW_LEAF_TREE = {
  root: {
    id: 'root',
    type: 'router',
    strategy: 'priority',
    timeout_ms: 2000,
    children: [{ id: 'sim-slow', type: 'simulator', options: { latency_ms: 20 } }],
  },
};

/** The `dur` of each entry of a Server-Timing header, by name. */
function serverTiming(header: string | undefined): Record<string, number> {
  expect(header, 'Server-Timing header').toBeDefined();
  const entries: Record<string, number> = {};
  for (const entry of header!.split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.find((param) => param.startsWith('dur='));
    if (name && dur) entries[name] = Number(dur.slice('dur='.length));
  }
  return entries;
}

describe('Server-Timing: what the gateway adds, and what the providers took (PGlite)', () => {
  const gateway = gatewayForSuite(pgliteBackend, { tree: SLOW_LEAF_TREE });

  it('splits a created payment into the gateway and the tree, and a replay spends nothing in the tree', async () => {
    const merchant = await MerchantSession.create(gateway());
    const key = merchant.newKey();
    const created = await merchant.post('/v1/payments', paymentBody({ capture: false }), key).expect(201);
    expect(created.headers['server-timing']).toMatch(/^gateway;dur=\d+\.\d{3};desc="Canopy", tree;dur=\d+\.\d{3};desc="providers"$/);
    const first = serverTiming(created.headers['server-timing']);
    expect(first.gateway).toBeGreaterThanOrEqual(0);
    expect(first.tree).toBeGreaterThanOrEqual(15);

    const replayed = await merchant.post('/v1/payments', paymentBody({ capture: false }), key).expect(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    const replay = serverTiming(replayed.headers['server-timing']);
    expect(replay.tree).toBe(0);
    expect(replay.gateway).toBeGreaterThanOrEqual(0);

    const captured = await merchant.post(`/v1/payments/${created.body.id}/capture`, {}).expect(200);
    expect(captured.body.status).toBe('captured');
    const capture = serverTiming(captured.headers['server-timing']);
    expect(capture.gateway).toBeGreaterThanOrEqual(0);
    expect(capture.tree).toBeGreaterThanOrEqual(15);
  });

  it('a refused request spends nothing in the tree; reads carry no header', async () => {
    const merchant = await MerchantSession.create(gateway());
    const refused = await merchant.post('/v1/payments/pay_doesnotexist/void').expect(404);
    expect(serverTiming(refused.headers['server-timing']).tree).toBe(0);
    const list = await merchant.get('/v1/payments').expect(200);
    expect(list.headers['server-timing']).toBeUndefined();
  });

  it('/metrics has the same split as histograms, by operation', async () => {
    const merchant = await MerchantSession.create(gateway());
    await merchant.pay().expect(201);
    const metrics = await gateway().http.get('/metrics').expect(200);
    const count = (name: string, operation: string) =>
      Number(new RegExp(`^${name}_count\\{operation="${operation}"\\} (\\d+)$`, 'm').exec(metrics.text)?.[1]);
    expect(count('canopy_payment_gateway_duration_seconds', 'create')).toBeGreaterThanOrEqual(1);
    expect(count('canopy_payment_tree_duration_seconds', 'create')).toBeGreaterThanOrEqual(1);
    expect(count('canopy_payment_gateway_duration_seconds', 'capture')).toBeGreaterThanOrEqual(1);
    // Zero series for operations not seen yet, so dashboards work from the start.
    expect(count('canopy_payment_tree_duration_seconds', 'complete')).toBe(0);
    const treeSeconds = Number(/^canopy_payment_tree_duration_seconds_sum\{operation="create"\} (\S+)$/m.exec(metrics.text)?.[1]);
    expect(treeSeconds).toBeGreaterThanOrEqual(0.015);
  });
});
