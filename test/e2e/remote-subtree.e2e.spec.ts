// The root gateway with one local and one remote subtree (a node-host served in this process over
// TCP, and over NATS when the broker is reachable): payments routed into the remote subtree carry the
// full path, follow-ups go down it, and the ops API sees and controls the remote subtree's nodes.
import { attemptIdFor, contextWithTimeout } from '#gateway-spi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenTarget, serveTestSubtree, type TransportName } from '../../libs/remote/test-support/served-subtree.js';
import type { Tree } from '#orchestration';
import type { ServedSubtree } from '#remote';
import { pgliteBackend } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, MerchantSession, startGateway } from '../support/gateway-harness.js';
import { requireNats } from '../support/nats.js';

const natsUrl = await requireNats();
const transports: TransportName[] = natsUrl ? ['tcp', 'nats'] : ['tcp'];
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

interface TreeNode {
  id: string;
  path: string;
  kind: string;
  health: { status: string } | null;
  fault?: { mode: string } | null;
  boundary: { transport: string; target: string; described_at: string | null } | null;
  hosted_by: string | null;
  children: TreeNode[];
}
const flatten = (node: TreeNode): TreeNode[] => [node, ...node.children.flatMap(flatten)];

interface Remote {
  transport: TransportName;
  id: string;
  currency: string;
  edge: string;
  alpha: string;
  beta: string;
}

// One remote subtree per transport, each with its own node ids (ids are unique across the whole tree).
const remotes: Remote[] = transports.map((transport) =>
  transport === 'tcp'
    ? { transport, id: 'far', currency: 'USD', edge: 'edge', alpha: 'far-alpha', beta: 'far-beta' }
    : { transport, id: 'far-nats', currency: 'GBP', edge: 'nats-edge', alpha: 'nats-alpha', beta: 'nats-beta' },
);

const remoteSubtree = (remote: Remote) => ({
  root: {
    id: remote.edge,
    type: 'router',
    strategy: 'priority',
    timeout_ms: 500,
    status_timeout_ms: 200,
    children: [
      { id: remote.alpha, type: 'simulator', options: { currencies: [remote.currency] } },
      { id: remote.beta, type: 'simulator', options: { currencies: [remote.currency] } },
    ],
  },
});

const rootTree = (children: object[]) => ({
  root: {
    id: 'root',
    type: 'router',
    strategy: 'rules',
    timeout_ms: 1500,
    status_timeout_ms: 300,
    rules: remotes.map((remote) => ({ when: { currency: [remote.currency] }, to: remote.id })),
    default: 'eu',
    children: [{ id: 'eu', type: 'router', strategy: 'priority', children: [{ id: 'sim-local', type: 'simulator' }] }, ...children],
  },
});

// The remote hop is what is under test here; the database backends are covered by the other suites.
describe('root gateway with remote subtrees', () => {
  const served = new Map<string, ServedSubtree & { tree: Tree }>();
  let gateway: Gateway;
  let merchant: MerchantSession;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const children = [];
    for (const remote of remotes) {
      const subtree = await serveTestSubtree(remoteSubtree(remote), listenTarget(remote.transport, natsUrl, 'e2e'));
      served.set(remote.id, subtree);
      const target = subtree.target;
      const options = target.transport === 'tcp' ? { host: target.host, port: target.port } : { servers: target.servers, subject: target.subject };
      children.push({ id: remote.id, type: 'remote', transport: target.transport, options });
    }
    const database = await pgliteBackend.create();
    drop = database.drop;
    gateway = await startGateway(database.config, rootTree(children));
    merchant = await MerchantSession.create(gateway);
  });

  afterAll(async () => {
    await gateway?.close();
    for (const subtree of served.values()) await subtree.close();
    await drop?.();
  });

  it('shows every remote subtree in GET /v1/ops/tree and marks the process boundaries', async () => {
    const tree = (await gateway.http.get('/v1/ops/tree').set(admin).expect(200)).body as TreeNode;
    expect(flatten(tree).map((n) => n.path)).toEqual([
      'root',
      'root/eu',
      'root/eu/sim-local',
      ...remotes.flatMap((r) => [`root/${r.id}`, `root/${r.id}/${r.edge}`, `root/${r.id}/${r.edge}/${r.alpha}`, `root/${r.id}/${r.edge}/${r.beta}`]),
    ]);
  });


  describe.each(remotes)('over $transport', ({ transport, id: remoteId, currency, edge, alpha, beta }) => {
    it('routes into the remote subtree with the full path; capture and refund follow that path', async () => {
      const created = await merchant.pay({ currency, capture: false }).expect(201);
      expect(created.body).toMatchObject({ status: 'authorized', route: { path: `root/${remoteId}/${edge}/${alpha}` } });
      expect(created.body.route.attempts).toEqual([expect.objectContaining({ path: `root/${remoteId}/${edge}/${alpha}`, outcome: 'approved', reason: `rule currency∈[${currency}] → ${remoteId}; priority 1/2 → ${alpha}` })]);
      const id = created.body.id;
      await merchant.post(`/v1/payments/${id}/capture`, { amount: 600 }).expect(200);
      const refund = await merchant.post(`/v1/payments/${id}/refunds`, { amount: 250 }).expect(201);
      expect(refund.body).toMatchObject({ status: 'succeeded', amount: 250 });
      const payment = await merchant.get(`/v1/payments/${id}`).expect(200);
      expect(payment.body).toMatchObject({ status: 'partially_refunded', amount_captured: 600, amount_refunded: 250, route: { path: `root/${remoteId}/${edge}/${alpha}` } });
      // The remote leaf's own ledger (in the node-host) saw the capture and the refund.
      const leaf = served.get(remoteId)!.tree.nodes.get(alpha)!;
      const status = await leaf.status({ path: [alpha], attemptId: attemptIdFor(id, 1), providerReference: null }, contextWithTimeout(1000, { traceId: 't' }));
      expect(status).toMatchObject({ state: 'approved', amountCaptured: 600, amountRefunded: 250 });
      // Local payments still go to the local subtree.
      expect((await merchant.pay({ currency: 'EUR' }).expect(201)).body.route.path).toBe('root/eu/sim-local');
    });

    it('settles a lost reply inside the remote subtree by its own status inquiry', async () => {
      const created = await merchant.pay({ currency }, '4000000000000101').expect(201);
      expect(created.body).toMatchObject({ status: 'captured', route: { path: `root/${remoteId}/${edge}/${alpha}` } });
      expect(created.body.route.attempts[0].reason).toContain('resolved by status inquiry');
    });

    it('shows the remote subtree\'s own nodes in GET /v1/ops/tree, under the boundary', async () => {
      const tree = (await gateway.http.get('/v1/ops/tree').set(admin).expect(200)).body as TreeNode;
      const nodes = flatten(tree);
      const far = nodes.find((n) => n.id === remoteId)!;
      expect(far).toMatchObject({ kind: 'remote', hosted_by: null, health: { status: 'up' }, boundary: { transport, described_at: expect.any(String) } });
      const target = served.get(remoteId)!.target;
      expect(far.boundary!.target).toBe(target.transport === 'tcp' ? `127.0.0.1:${target.port}` : `${natsUrl} ${target.subject}`);
      expect(nodes.filter((n) => n.hosted_by === remoteId).map((n) => n.id)).toEqual([edge, alpha, beta]);
      expect(nodes.find((n) => n.id === beta)).toMatchObject({ kind: 'adapter', health: { status: 'up' }, fault: null, boundary: null });
      expect(nodes.find((n) => n.id === 'sim-local')).toMatchObject({ hosted_by: null, boundary: null });
    });

    it('sets and clears faults on leaves inside the remote subtree through the ops API', async () => {
      const set = await gateway.http.put(`/v1/ops/nodes/${alpha}/faults`).set(admin).send({ mode: 'down' }).expect(200);
      expect(set.body).toEqual({ node_id: alpha, fault: { mode: 'down', latency_ms: null, rate: 1 } });
      const failedOver = await merchant.pay({ currency }).expect(201);
      expect(failedOver.body.route.path).toBe(`root/${remoteId}/${edge}/${beta}`);
      expect(failedOver.body.route.attempts.map((a: { path: string; code: string | null }) => [a.path, a.code])).toEqual([
        [`root/${remoteId}/${edge}/${alpha}`, 'provider_unavailable'],
        [`root/${remoteId}/${edge}/${beta}`, null],
      ]);
      const tree = flatten((await gateway.http.get('/v1/ops/tree').set(admin).expect(200)).body);
      expect(tree.find((n) => n.id === alpha)).toMatchObject({ fault: { mode: 'down' }, health: { status: 'down' } });
      expect(tree.find((n) => n.id === remoteId)?.health?.status).toBe('degraded');
      const cleared = await gateway.http.delete(`/v1/ops/nodes/${alpha}/faults`).set(admin).expect(200);
      expect(cleared.body).toEqual({ node_id: alpha, fault: null });
      await gateway.http.put(`/v1/ops/nodes/${edge}/faults`).set(admin).send({ mode: 'down' }).expect(400);
      await gateway.http.put(`/v1/ops/nodes/${remoteId}/faults`).set(admin).send({ mode: 'down' }).expect(400);
      await gateway.http.put('/v1/ops/nodes/ghost/faults').set(admin).send({ mode: 'down' }).expect(404);
    });
  });
});
