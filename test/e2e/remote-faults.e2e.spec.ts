// Node-hosts as real child processes, killed with SIGKILL under load (the survivors and restarted
// hosts are served from this process: what they show is only that a node-host answers). A request that never reached a
// node-host (connection refused) fails over to a local sibling; one it may have acted on (the host
// died holding it) ends `pending`, and reconciliation settles it once a host answers again; no
// payment is charged twice.
import { createServer } from 'node:net';
import { attemptIdFor, contextWithTimeout, type GatewayNode, type StatusOutcome } from '#gateway-spi';
import { openTree } from '#orchestration';
import type { RemoteNode, ServedSubtree } from '#remote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, MerchantSession, startGateway } from '../support/gateway-harness.js';
import { requireNats, uniqueSubject } from '../support/nats.js';
import { type NodeHostProcess, startNodeHostProcess } from '../support/node-host-process.js';
import { serveTestSubtree } from '../../libs/remote/test-support/served-subtree.js';

const natsUrl = await requireNats();
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const ctx = () => contextWithTimeout(2_000, { traceId: 'fault-spec' });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The hosted subtree keeps a small status reserve, so its leaf gets nearly the whole budget.
const hostedTree = (edge: string, leaf: string, currency: string, latencyMs = 0) => ({
  root: {
    id: edge,
    type: 'router',
    strategy: 'priority',
    timeout_ms: 5_000,
    status_timeout_ms: 50,
    children: [{ id: leaf, type: 'simulator', options: { currencies: [currency], latency_ms: latencyMs } }],
  },
});

/** Resolves once `remote` has sent `count` more requests than `from` (they are then on the wire). */
async function untilSent(remote: RemoteNode, from: number, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (remote.traffic().sent < from + count) {
    if (Date.now() > deadline) throw new Error(`only ${remote.traffic().sent - from} of ${count} requests were sent`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const side = (id: string, currency: string, remote: object, near: string) => ({
  id,
  type: 'router',
  strategy: 'priority',
  timeout_ms: 1_500,
  status_timeout_ms: 300,
  // Every attempt of these tests must reach the remote node: no breaker opens in between.
  breaker: { failure_threshold: 1_000 },
  children: [{ id: `${id}-far`, type: 'remote', ...remote }, { id: near, type: 'simulator', options: { currencies: [currency] } }],
});

interface Paid {
  id: string;
  status: string;
  route: { path: string; attempts: { id: string; path: string; outcome: string; code: string | null }[] };
}

/** Every approval of a payment's attempts among `leaves` (each asked for every attempt id the payment used). */
async function approvals(payment: Paid, leaves: { node: GatewayNode; path: string[] }[]): Promise<number> {
  const ids = [1, 2, 3].map((seq) => attemptIdFor(payment.id, seq));
  const states = await Promise.all(
    leaves.flatMap(({ node, path }) => ids.map((attemptId) => node.status({ path, attemptId, providerReference: null }, ctx()).then((s: StatusOutcome) => s.state))),
  );
  return states.filter((state) => state === 'approved').length;
}

describe('node-hosts killed under load', () => {
  const hosts: NodeHostProcess[] = [];
  /** Node-hosts served from this process: NATS host B, and the TCP host once it is back. */
  const restarted: ServedSubtree[] = [];
  /** NATS host A: a child process with a slow sandbox, killed under load. */
  let natsHostA: NodeHostProcess | undefined;
  let gateway: Gateway;
  let merchant: MerchantSession;
  let drop: () => Promise<void>;
  let tcpPort: number;
  const subject = uniqueSubject('faults');

  beforeAll(async () => {
    tcpPort = await freePort();
    const tcpHost = startNodeHostProcess({ tree: hostedTree('t-edge', 't-alpha', 'USD'), transport: 'tcp', port: tcpPort });
    // On NATS: host A (a child process, killed) has a sandbox that acts only after 5 s, so whatever it
    // holds when killed was never charged; host B, the survivor, is served from this process.
    const hostA = natsUrl ? startNodeHostProcess({ tree: hostedTree('n-edge', 'n-alpha', 'GBP', 5_000), transport: 'nats', natsUrl, subject }) : undefined;
    const hostB = natsUrl ? serveTestSubtree(hostedTree('n-edge', 'n-alpha', 'GBP'), { transport: 'nats', servers: [natsUrl], subject }) : undefined;
    const children = [side('tcp-side', 'USD', { transport: 'tcp', options: { host: '127.0.0.1', port: tcpPort } }, 't-near')];
    if (natsUrl) children.push(side('nats-side', 'GBP', { transport: 'nats', options: { servers: [natsUrl], subject } }, 'n-near'));
    const tree = {
      root: {
        id: 'root',
        type: 'router',
        strategy: 'rules',
        rules: [
          { when: { currency: ['USD'] }, to: 'tcp-side' },
          ...(natsUrl ? [{ when: { currency: ['GBP'] }, to: 'nats-side' }] : []),
        ],
        children,
      },
    };
    const database = await pgliteBackend.create();
    drop = database.drop;
    // The hosts start while the gateway migrates its database; then the remotes are described again.
    const [started, tcp, a, b] = await Promise.all([startGateway(database.config, tree), tcpHost, hostA, hostB]);
    gateway = started;
    hosts.push(tcp, ...(a ? [a] : []));
    if (a && b) {
      natsHostA = a;
      restarted.push(b);
    }
    await openTree(gateway.tree);
    merchant = await MerchantSession.create(gateway);
  }, 120_000); // child processes start slowly on a loaded machine: they transpile the sources first

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(hosts.map((host) => host.stop('SIGKILL')));
    await Promise.all(restarted.map((served) => served.close()));
    await drop?.();
  });

  it('TCP: fails over when the request never reached the host, ends pending when the host died holding it, never charges twice', async () => {
    const tcpHost = hosts.find((host) => host.target.transport === 'tcp')!;
    const before = await merchant.pay({ currency: 'USD' }).expect(201);
    expect(before.body.route.path).toBe('root/tcp-side/tcp-side-far/t-edge/t-alpha');

    // The leaf inside the host holds requests 10 s before acting: kill the host while it holds them.
    await gateway.http.put('/v1/ops/nodes/t-alpha/faults').set(admin).send({ mode: 'slow', latency_ms: 10_000 }).expect(200);
    const remote = gateway.tree.nodes.get('tcp-side-far') as RemoteNode;
    const sentBefore = remote.traffic().sent;
    const inFlight = Promise.all([1, 2, 3].map(() => merchant.pay({ currency: 'USD' }).expect(201)));
    await untilSent(remote, sentBefore, 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    tcpHost.child.kill('SIGKILL');
    const held = (await inFlight).map((response) => response.body as Paid);
    for (const payment of held) {
      expect(payment.status).toBe('pending');
      expect(payment.route.path).toBe('root/tcp-side/tcp-side-far');
      expect(payment.route.attempts).toEqual([expect.objectContaining({ path: 'root/tcp-side/tcp-side-far', outcome: 'unknown', code: 'provider_timeout' })]);
    }

    // Now nothing listens: connection refused proves nothing was sent, so the local sibling takes it.
    const after: Paid[] = [];
    for (let i = 0; i < 3; i++) after.push((await merchant.pay({ currency: 'USD' }).expect(201)).body);
    for (const payment of after) {
      expect(payment.status).toBe('captured');
      expect(payment.route.path).toBe('root/tcp-side/t-near');
      expect(payment.route.attempts.map((a) => [a.path, a.outcome, a.code])).toEqual([
        ['root/tcp-side/tcp-side-far', 'failed', 'provider_unavailable'],
        ['root/tcp-side/t-near', 'approved', null],
      ]);
    }
    const view = (await gateway.http.get('/v1/ops/tree').set(admin).expect(200)).body;
    const far = view.children[0].children[0];
    expect(far).toMatchObject({ id: 'tcp-side-far', kind: 'remote', health: { status: 'down' }, children: [{ id: 't-edge', hosted_by: 'tcp-side-far' }] });

    // A node-host comes back on that port (in this process: what matters is that one answers): its
    // status for the held attempts answers again (not_found: the killed host's sandbox never acted on
    // them, its slow leaf was still waiting), and payments reach the remote subtree again.
    const back = await serveTestSubtree(hostedTree('t-edge', 't-alpha', 'USD'), { transport: 'tcp', host: '127.0.0.1', port: tcpPort });
    restarted.push(back);
    for (const payment of held) {
      const status = await remote.status({ path: ['tcp-side-far'], attemptId: payment.route.attempts[0]!.id, providerReference: null }, ctx());
      expect(status.state).toBe('not_found');
    }
    expect((await merchant.pay({ currency: 'USD' }).expect(201)).body.route.path).toBe('root/tcp-side/tcp-side-far/t-edge/t-alpha');

    // With the host answering, reconciliation settles the held payments: nothing was charged, so
    // each ends failed, with one pending_resolved event.
    const report = (await gateway.http.post('/v1/ops/reconcile').set(admin).expect(200)).body;
    for (const payment of held) {
      expect(report.settled).toContainEqual({ payment_id: payment.id, from: 'pending', to: 'failed' });
      expect((await merchant.get(`/v1/payments/${payment.id}`).expect(200)).body.status).toBe('failed');
      const events = (await merchant.get(`/v1/payments/${payment.id}/events`).expect(200)).body.data as { type: string }[];
      expect(events.filter((event) => event.type === 'payment.pending_resolved')).toHaveLength(1);
    }

    // No payment was charged twice: count approvals at the local sibling and at the (new) host.
    const near = gateway.tree.nodes.get('t-near')!;
    const leaves = [
      { node: near, path: ['t-near'] },
      { node: remote, path: ['tcp-side-far'] },
    ];
    for (const payment of held) expect(await approvals(payment, leaves)).toBe(0);
    for (const payment of after) expect(await approvals(payment, leaves)).toBe(1);
  });

  it.skipIf(!natsUrl)('NATS: two node-hosts in a queue group, one killed under load, the other keeps serving; no payment charged twice', async () => {
    const remote = gateway.tree.nodes.get('nats-side-far') as RemoteNode;
    const sentBefore = remote.traffic().sent;
    const load = Promise.all(Array.from({ length: 8 }, () => merchant.pay({ currency: 'GBP' }).expect(201)));
    await untilSent(remote, sentBefore, 8);
    await new Promise((resolve) => setTimeout(resolve, 50));
    natsHostA!.child.kill('SIGKILL');
    const during = (await load).map((response) => response.body as Paid);
    const after: Paid[] = [];
    for (let i = 0; i < 5; i++) after.push((await merchant.pay({ currency: 'GBP' }).expect(201)).body);

    // Host B kept serving: every payment after the kill went through the remote subtree.
    for (const payment of after) {
      expect(payment.status).toBe('captured');
      expect(payment.route.path).toBe('root/nats-side/nats-side-far/n-edge/n-alpha');
    }
    // Requests host A held when it died were lost (unknown): the status inquiry reached host B, whose
    // "never seen" (nothing charged) let the local sibling take them. Requests A had already answered
    // as unknown (its own deadline) whose inquiry A also answered "unknown" stay pending.
    for (const payment of during) {
      expect(['captured', 'pending', 'failed']).toContain(payment.status);
      if (payment.status === 'captured') expect(['root/nats-side/nats-side-far/n-edge/n-alpha', 'root/nats-side/n-near']).toContain(payment.route.path);
      expect(payment.route.attempts.filter((attempt) => attempt.outcome === 'approved').length).toBeLessThanOrEqual(1);
    }

    // Host A's sandbox never charges (it acts only after 5 s), so every approval is visible at host B
    // or at the local sibling: exactly one for a captured payment, none otherwise.
    const leaves = [
      { node: gateway.tree.nodes.get('n-near')!, path: ['n-near'] },
      { node: remote, path: ['nats-side-far'] },
    ];
    for (const payment of [...during, ...after]) expect(await approvals(payment, leaves)).toBe(payment.status === 'captured' ? 1 : 0);
  });
});
