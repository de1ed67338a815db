import { createServer, type Server } from 'node:net';
import { attemptIdFor, contextWithTimeout, maskCard, type AuthorizeRequest, type GatewayNode, type NodeContext } from '#gateway-spi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireNats } from '../../../../test/support/nats.js';
import { listenTarget, openRemote, serveTestSubtree, type TransportName } from '../../test-support/served-subtree.js';
import type { ServedSubtree } from '../server/serve-subtree.js';
import type { RemoteTarget } from '../wire/remote-target.js';
import { RemoteChannel } from './node-host-channel.js';
import type { RemoteNode } from './remote-subtree.node.js';

const natsUrl = await requireNats();
const transports: TransportName[] = natsUrl ? ['tcp', 'nats'] : ['tcp'];

const ctx = (ms = 3000): NodeContext => contextWithTimeout(ms, { traceId: 'remote-spec' });

let seq = 0;
function payment(over: Partial<AuthorizeRequest> & { card?: string } = {}): AuthorizeRequest {
  const { card: number = '4242424242424242', ...rest } = over;
  const paymentId = `pay_remote${Date.now().toString(36)}${++seq}`;
  const card = { number, expMonth: 12, expYear: 2030, cvc: '123' };
  return {
    paymentId,
    attemptId: attemptIdFor(paymentId, 1),
    attemptSeq: 1,
    merchantId: 'mer_1',
    amount: 1000,
    currency: 'EUR',
    capture: false,
    paymentMethod: { type: 'card', card, display: maskCard(card) },
    metadata: {},
    ...rest,
  };
}

const subtreeConfig = () => ({
  root: {
    id: 'edge',
    type: 'router',
    strategy: 'priority',
    timeout_ms: 2000,
    status_timeout_ms: 150,
    children: [
      { id: 'sim-a', type: 'simulator' },
      { id: 'sim-b', type: 'simulator', options: { fee_bps: 100 } },
    ],
  },
});

describe.each(transports)('remote node over %s', (transport) => {
  let served: ServedSubtree;
  let remote: RemoteNode;

  beforeAll(async () => {
    served = await serveTestSubtree(subtreeConfig(), listenTarget(transport, natsUrl));
    remote = await openRemote('far', served.target);
  });

  afterAll(async () => {
    await remote?.close();
    await served?.close();
  });

  it('describes the remote subtree fetched over the wire, with the process boundary', () => {
    const described = remote.describe();
    expect(described).toMatchObject({
      id: 'far',
      kind: 'remote',
      type: 'remote',
      capabilities: { currencies: ['EUR', 'GBP', 'USD'], paymentMethods: ['card'] },
      children: [{ id: 'edge', kind: 'router', strategy: 'priority', children: [{ id: 'sim-a' }, { id: 'sim-b' }] }],
      boundary: { transport },
    });
    expect(described.boundary?.describedAt).toEqual(expect.any(String));
    expect(remote.subtreeOps.has('sim-b')).toBe(true);
    expect(remote.subtreeOps.has('far')).toBe(false);
    expect(remote.subtreeOps.faults()).toEqual({ 'sim-a': null, 'sim-b': null });
  });

  it('authorizes with the remote id in the path, then captures, refunds and asks status down that path', async () => {
    const request = payment();
    const outcome = await remote.authorize(request, ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['far', 'edge', 'sim-a'], retryable: false });
    expect(outcome.attempts).toEqual([expect.objectContaining({ attemptId: request.attemptId, path: ['far', 'edge', 'sim-a'], reason: 'priority 1/2 → sim-a' })]);
    const address = { path: outcome.path, attemptId: request.attemptId, providerReference: outcome.providerReference };
    expect(await remote.capture({ ...address, operationId: 'cap_1', amount: 600, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await remote.refund({ ...address, operationId: 're_1', amount: 200, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await remote.status(address, ctx())).toMatchObject({ state: 'approved', amountCaptured: 600, amountRefunded: 200 });
    const other = payment();
    const second = await remote.authorize(other, ctx());
    expect(await remote.void({ path: second.path, attemptId: other.attemptId, providerReference: second.providerReference, operationId: 'void_1' }, ctx())).toMatchObject({ outcome: 'succeeded' });
  });

  it('returns declines and refusals as typed outcomes', async () => {
    expect(await remote.authorize(payment({ card: '4000000000000002' }), ctx())).toMatchObject({ outcome: 'declined', code: 'card_declined', path: ['far', 'edge', 'sim-a'] });
    expect(await remote.authorize(payment({ currency: 'JPY' }), ctx())).toMatchObject({ outcome: 'failed', code: 'currency_not_supported', retryable: true, path: ['far', 'edge'] });
    expect(await remote.capture({ path: ['elsewhere', 'x'], attemptId: 'att_x_1', providerReference: null, operationId: 'c', amount: 1, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'failed', code: 'processing_error' });
    expect(await remote.status({ path: ['far', 'edge', 'nope'], attemptId: 'att_x_1', providerReference: null }, ctx())).toMatchObject({ state: 'unknown' });
  });

  it('quotes and reports health through the boundary', async () => {
    expect(await remote.quote({ amount: 10_000, currency: 'EUR', method: 'card', paymentId: 'pay_q' }, ctx())).toMatchObject({ eligible: true, fee: 200, path: ['far', 'edge', 'sim-a'] });
    expect(await remote.health(ctx())).toEqual({
      id: 'far',
      status: 'up',
      children: [{ id: 'edge', status: 'up', children: [{ id: 'sim-a', status: 'up' }, { id: 'sim-b', status: 'up' }] }],
    });
  });

  it('sets and clears faults on leaves inside the subtree; the subtree fails over inside', async () => {
    expect(await remote.subtreeOps.setFault('sim-a', { mode: 'down' })).toEqual({ ok: true, fault: { mode: 'down' } });
    expect(remote.subtreeOps.faults()['sim-a']).toEqual({ mode: 'down' });
    const outcome = await remote.authorize(payment(), ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['far', 'edge', 'sim-b'] });
    expect(outcome.attempts.map((a) => [a.path.join('/'), a.code])).toEqual([
      ['far/edge/sim-a', 'provider_unavailable'],
      ['far/edge/sim-b', null],
    ]);
    expect(await remote.subtreeOps.clearFault('sim-a')).toEqual({ ok: true, fault: null });
    expect(await remote.subtreeOps.setFault('edge', { mode: 'down' })).toMatchObject({ ok: false, reason: 'not_supported' });
    expect(await remote.subtreeOps.setFault('ghost', { mode: 'down' })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await remote.subtreeOps.setFault('sim-a', { mode: 'down', rate: 7 })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('carries the deadline: a slow leaf behind the remote answers unknown promptly, and the subtree stops in time', async () => {
    await remote.subtreeOps.setFault('sim-a', { mode: 'slow', latencyMs: 5_000 });
    try {
      const started = Date.now();
      const outcome = await remote.authorize(payment(), ctx(300));
      const took = Date.now() - started;
      expect(took).toBeLessThan(600);
      expect(outcome).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false });
      // The node-host's own deadline fired first, so its answer (with the leaf) made it back.
      expect(outcome.path).toEqual(['far', 'edge', 'sim-a']);
      expect(served.handler.busy).toBe(0);
    } finally {
      await remote.subtreeOps.clearFault('sim-a');
    }
  });

  it('answers a status inquiry for an attempt whose leaf the caller never learnt (empty path)', async () => {
    await remote.subtreeOps.setFault('sim-a', { mode: 'down' });
    try {
      const request = payment();
      const outcome = await remote.authorize(request, ctx());
      expect(outcome.path).toEqual(['far', 'edge', 'sim-b']);
      // As if the reply had been lost: the caller knows only its attempt id and the remote's id.
      const status = await remote.status({ path: ['far'], attemptId: request.attemptId, providerReference: null }, ctx());
      expect(status).toMatchObject({ state: 'approved', amountAuthorized: 1000 });
      const captured = await remote.capture({ path: ['far'], attemptId: request.attemptId, providerReference: null, operationId: 'cap_lost', amount: 1000, currency: 'EUR' }, ctx());
      expect(captured).toMatchObject({ outcome: 'succeeded' });
    } finally {
      await remote.subtreeOps.clearFault('sim-a');
    }
  });

  it('refuses malformed requests with a typed error, never a generic one', async () => {
    const channel = new RemoteChannel(served.target, 'spec');
    try {
      expect(await channel.call('authorize', { nonsense: true }, ctx())).toEqual({
        kind: 'refused',
        error: { kind: 'bad_request', message: 'paymentId must be a non-empty string' },
      });
    } finally {
      await channel.close();
    }
  });

  it('a draining node-host refuses new work as "nothing done", so the caller may fail over', async () => {
    const drained = await serveTestSubtree(subtreeConfig(), listenTarget(transport, natsUrl, 'drain'));
    const node = await openRemote('far2', drained.target);
    try {
      await drained.handler.drain();
      expect(await node.authorize(payment(), ctx())).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true, path: ['far2'] });
    } finally {
      await node.close();
      await drained.close();
    }
  });
});

describe.each(transports)('remote node over %s without a working node-host', (transport) => {
  const nobody = async (): Promise<{ target: RemoteTarget; stop(): Promise<void> }> => {
    if (transport === 'nats') return { target: listenTarget('nats', natsUrl, 'nobody'), stop: async () => {} };
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    return { target: { transport: 'tcp', host: '127.0.0.1', port }, stop: async () => {} };
  };

  it('nothing listening: describe is a placeholder that takes nothing; authorize fails retryable, status is unknown', async () => {
    const { target } = await nobody();
    const node = await openRemote('gone', target, { describeTimeoutMs: 500 });
    try {
      expect(node.describe()).toMatchObject({ id: 'gone', kind: 'remote', capabilities: { currencies: [], paymentMethods: [] }, children: [], boundary: { describedAt: null } });
      const request = payment();
      const outcome = await node.authorize(request, ctx(1000));
      expect(outcome).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true, path: ['gone'] });
      expect(outcome.attempts).toEqual([expect.objectContaining({ attemptId: request.attemptId, path: ['gone'], outcome: 'failed', code: 'provider_unavailable' })]);
      const address = { path: ['gone', 'x'], attemptId: request.attemptId, providerReference: null };
      expect(await node.capture({ ...address, operationId: 'c', amount: 1, currency: 'EUR' }, ctx(1000))).toMatchObject({ outcome: 'failed', code: 'provider_unavailable' });
      expect(await node.status(address, ctx(1000))).toMatchObject({ state: 'unknown', code: 'provider_unavailable' });
      expect(await node.quote({ amount: 1, currency: 'EUR', method: 'card', paymentId: 'pay_x' }, ctx(1000))).toMatchObject({ eligible: false, path: ['gone'] });
      expect(await node.health(ctx(1000))).toMatchObject({ id: 'gone', status: 'down' });
      expect(await node.subtreeOps.setFault('x', { mode: 'down' })).toMatchObject({ ok: false, reason: 'unreachable' });
    } finally {
      await node.close();
    }
  });

  it('a node-host that takes the request but never answers: authorize is unknown at the deadline', async () => {
    let target: RemoteTarget;
    let stop: () => Promise<void>;
    if (transport === 'tcp') {
      const sockets = new Set<import('node:net').Socket>();
      const server: Server = createServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      target = { transport: 'tcp', host: '127.0.0.1', port: (server.address() as { port: number }).port };
      stop = async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
      };
    } else {
      const { connect } = await import('@nats-io/transport-node');
      const nc = await connect({ servers: natsUrl! });
      target = listenTarget('nats', natsUrl, 'mute');
      nc.subscribe(`${(target as { subject: string }).subject}.>`, { callback: () => {} });
      await nc.flush();
      stop = () => nc.close();
    }
    const node = await openRemote('mute', target, { describeTimeoutMs: 200 });
    try {
      const started = Date.now();
      const outcome = await node.authorize(payment(), ctx(300));
      expect(Date.now() - started).toBeLessThan(800);
      expect(outcome).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false, path: ['mute'] });
      const address = { path: ['mute', 'x'], attemptId: 'att_x_1', providerReference: null };
      expect(await node.refund({ ...address, operationId: 'r', amount: 1, currency: 'EUR' }, ctx(200))).toMatchObject({ outcome: 'unknown', code: 'provider_timeout' });
      expect(await node.status(address, ctx(200))).toMatchObject({ state: 'unknown', code: 'provider_timeout' });
    } finally {
      await node.close();
      await stop();
    }
  });
});

describe('remote node: a subtree that throws', () => {
  it('comes back as an unknown outcome with a typed error, not a thrown error', async () => {
    const broken: GatewayNode = {
      id: 'broken',
      describe: () => ({ id: 'broken', kind: 'adapter', type: 'test', capabilities: { currencies: ['EUR'], paymentMethods: ['card'], countries: null, partialCapture: false, multipleRefunds: false } }),
      authorize: () => Promise.reject(new Error('kaboom')),
      capture: () => Promise.reject(new Error('kaboom')),
      void: () => Promise.reject(new Error('kaboom')),
      refund: () => Promise.reject(new Error('kaboom')),
      status: () => Promise.reject(new Error('kaboom')),
      completeAction: () => Promise.reject(new Error('kaboom')),
      parseNotification: () => Promise.reject(new Error('kaboom')),
      quote: () => Promise.reject(new Error('kaboom')),
      health: () => Promise.reject(new Error('kaboom')),
    };
    const { serveSubtree } = await import('../server/serve-subtree.js');
    const served = await serveSubtree({ root: broken, nodes: new Map([['broken', broken]]), paths: new Map([['broken', ['broken']]]) }, listenTarget('tcp'), { nestLogger: false });
    const node = await openRemote('far', served.target);
    try {
      expect(await node.authorize(payment(), ctx())).toMatchObject({ outcome: 'unknown', code: 'processing_error', retryable: false, message: expect.stringContaining('kaboom') });
      expect(await node.void({ path: ['far', 'broken'], attemptId: 'att_x_1', providerReference: null, operationId: 'v' }, ctx())).toMatchObject({ outcome: 'unknown', code: 'processing_error' });
      expect(await node.completeAction({ path: ['far', 'broken'], attemptId: 'att_x_1', providerReference: null, returnData: {} }, ctx())).toMatchObject({ state: 'unknown', code: 'processing_error' });
      expect(await node.parseNotification({ nodeId: 'broken', body: '{}', headers: {} }, ctx())).toMatchObject({ ok: false, reason: 'unreachable', message: expect.stringContaining('kaboom') });
      expect(await node.health(ctx())).toMatchObject({ status: 'down', detail: expect.stringContaining('node_error') });
    } finally {
      await node.close();
      await served.close();
    }
  });
});
