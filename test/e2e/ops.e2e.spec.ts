import { beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession } from '../support/gateway-harness.js';

interface TreeNode {
  id: string;
  path: string;
  kind: string;
  health: { status: string } | null;
  fault?: { mode: string } | null;
  counters: { attempts: number };
  children: TreeNode[];
}

function flatten(node: TreeNode): TreeNode[] {
  return [node, ...node.children.flatMap(flatten)];
}

describe.each(await testBackends())('ops API on $name', (backend) => {
  const started = gatewayForSuite(backend);
  let gateway: Gateway;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(() => {
    gateway = started();
  });

  it('requires the admin token', async () => {
    await gateway.http.get('/v1/ops/tree').expect(401);
    await gateway.http.get('/v1/ops/tree').set('authorization', 'Bearer wrong-token-of-some-length').expect(401);
    await gateway.http.post('/v1/ops/merchants').send({ name: 'x' }).expect(401);
    const merchant = await MerchantSession.create(gateway);
    await gateway.http.get('/v1/ops/tree').set('authorization', `Bearer ${merchant.apiKey}`).expect(401);
  });

  it('creates a merchant whose key is shown once and works', async () => {
    const response = await gateway.http.post('/v1/ops/merchants').set(admin).send({ name: 'Acme' }).expect(201);
    expect(response.body).toMatchObject({ name: 'Acme' });
    expect(response.body.id).toMatch(/^mer_/);
    expect(response.body.api_key).toMatch(/^sk_test_/);
    await gateway.http.get('/v1/payments').set('authorization', `Bearer ${response.body.api_key}`).expect(200);
    await gateway.http.post('/v1/ops/merchants').set(admin).send({}).expect(400);
  });

  it('shows the whole tree with paths, kinds, health and counters', async () => {
    const merchant = await MerchantSession.create(gateway);
    await merchant.pay({ currency: 'USD' }).expect(201);
    const response = await gateway.http.get('/v1/ops/tree').set(admin).expect(200);
    const nodes = flatten(response.body);
    expect(nodes.map((n) => n.path)).toEqual([
      'root',
      'root/eu',
      'root/eu/sim-alpha',
      'root/eu/sim-beta',
      'root/us',
      'root/us/sim-gamma',
      'root/us/sim-delta',
      'root/global',
    ]);
    expect(nodes.find((n) => n.id === 'eu')?.kind).toBe('router');
    expect(nodes.find((n) => n.id === 'global')?.kind).toBe('adapter');
    expect(nodes.every((n) => n.health?.status === 'up')).toBe(true);
    expect(nodes.find((n) => n.id === 'sim-gamma')?.counters.attempts).toBeGreaterThanOrEqual(1);
  });

  it('sets and clears faults on sandbox leaves only, and the tree shows them', async () => {
    const set = await gateway.http.put('/v1/ops/nodes/sim-beta/faults').set(admin).send({ mode: 'down', rate: 1 }).expect(200);
    expect(set.body).toEqual({ node_id: 'sim-beta', fault: { mode: 'down', latency_ms: null, rate: 1 } });
    const tree = flatten((await gateway.http.get('/v1/ops/tree').set(admin).expect(200)).body);
    const beta = tree.find((n) => n.id === 'sim-beta');
    expect(beta?.fault?.mode).toBe('down');
    expect(beta?.health?.status).toBe('down');
    expect(tree.find((n) => n.id === 'eu')?.health?.status).toBe('degraded');
    const cleared = await gateway.http.delete('/v1/ops/nodes/sim-beta/faults').set(admin).expect(200);
    expect(cleared.body).toEqual({ node_id: 'sim-beta', fault: null });

    await gateway.http.put('/v1/ops/nodes/nope/faults').set(admin).send({ mode: 'down' }).expect(404);
    await gateway.http.put('/v1/ops/nodes/eu/faults').set(admin).send({ mode: 'down' }).expect(400);
    await gateway.http.put('/v1/ops/nodes/sim-beta/faults').set(admin).send({ mode: 'explode' }).expect(400);
    await gateway.http.put('/v1/ops/nodes/sim-beta/faults').set(admin).send({ mode: 'down', rate: 2 }).expect(400);
  });

  it('reports liveness and readiness', async () => {
    await gateway.http.get('/health/live').expect(200, { status: 'ok' });
    const ready = await gateway.http.get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', checks: { database: 'up', tree: 'up' } });
  });
});
