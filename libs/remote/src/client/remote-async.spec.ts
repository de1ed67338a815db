import 'reflect-metadata';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { contextWithTimeout, type NodeContext, type NotificationFact, type ProviderNotification } from '#gateway-spi';
import { buildTree, PriorityStrategy, RouterNode, type Tree } from '#orchestration';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireNats } from '../../../../test/support/nats.js';
import { fakeCatalog } from '../../../orchestration/test-support/fake-catalog.js';
import { cardRequest, challengeOf, FAKE_NOTIFICATION_REPLY, FakeLeaf } from '../../../orchestration/test-support/fake-leaf.js';
import { listenTarget, openRemote, type TransportName } from '../../test-support/served-subtree.js';
import { microserviceOptions, serveSubtree, type ServedSubtree } from '../server/serve-subtree.js';
import type { RemoteTarget } from '../wire/remote-target.js';
import { RemoteNode } from './remote-subtree.node.js';

const natsUrl = await requireNats();
const transports: TransportName[] = natsUrl ? ['tcp', 'nats'] : ['tcp'];

const ctx = (ms = 3000): NodeContext => contextWithTimeout(ms, { traceId: 'remote-async-spec' });
const notification = (nodeId: string, body = '{"event":"x"}'): ProviderNotification => ({ nodeId, body, headers: { 'x-signature': 't=1,v1=abc' } });

/** The hosted subtree: edge → (fa, fb), fake leaves whose scripts the specs change through `tree.nodes`. */
const hostedTree = (): Tree =>
  buildTree({ root: { id: 'edge', type: 'router', strategy: 'priority', timeout_ms: 1000, status_timeout_ms: 150, children: [{ id: 'fa', type: 'fake' }, { id: 'fb', type: 'fake' }] } }, fakeCatalog);

let seq = 0;
const payment = () => {
  const paymentId = `pay_async${Date.now().toString(36)}${++seq}`;
  return cardRequest({ paymentId, attemptId: `att_${paymentId.slice(4)}_1`, returnUrl: `https://root.test/v1/payments/${paymentId}/return` });
};

describe.each(transports)('remote node over %s: shopper actions and notifications', (transport) => {
  let tree: Tree;
  let served: ServedSubtree;
  let remote: RemoteNode;
  let root: RouterNode;
  const leaf = (id: 'fa' | 'fb') => tree.nodes.get(id) as FakeLeaf;

  beforeAll(async () => {
    tree = hostedTree();
    served = await serveSubtree(tree, listenTarget(transport, natsUrl, 'async'), { nestLogger: false });
    remote = await openRemote('far', served.target);
    root = new RouterNode({ id: 'root', strategy: new PriorityStrategy(), children: [remote, new FakeLeaf('near')] });
  });

  beforeEach(() => {
    for (const id of ['fa', 'fb'] as const) {
      leaf(id).calls.length = 0;
      leaf(id).settings = new FakeLeaf(id).settings;
    }
  });

  afterAll(async () => {
    await remote?.close();
    await served?.close();
  });

  it('brings requires_action and its next action back through the boundary and the router above, without failover', async () => {
    leaf('fa').settings.behaviour = 'requires_action';
    const request = payment();
    const outcome = await root.authorize(request, ctx());
    expect(outcome).toMatchObject({ outcome: 'requires_action', retryable: false, path: ['root', 'far', 'edge', 'fa'], nextAction: challengeOf(request.attemptId) });
    expect(outcome.attempts).toEqual([expect.objectContaining({ outcome: 'requires_action', path: ['root', 'far', 'edge', 'fa'] })]);
    expect(leaf('fa').calledFor('status')).toEqual([]);
    expect(leaf('fb').calls).toEqual([]);
  });

  it('forwards completeAction down the path, with the return data; a path the caller lost resolves through the journal', async () => {
    leaf('fa').settings.behaviour = 'requires_action';
    const request = payment();
    const outcome = await root.authorize(request, ctx());
    const address = { path: outcome.path, attemptId: request.attemptId, providerReference: outcome.providerReference };
    expect(await root.completeAction({ ...address, returnData: { redirectResult: 'r1' } }, ctx())).toMatchObject({ state: 'approved', amountAuthorized: 1000 });
    expect(leaf('fa').calledFor('completeAction')).toEqual([expect.objectContaining({ path: ['fa'], attemptId: request.attemptId, returnData: { redirectResult: 'r1' } })]);

    // As if the authorize reply had been lost: only the remote's id is known.
    expect(await remote.completeAction({ path: ['far'], attemptId: request.attemptId, providerReference: null, returnData: {} }, ctx())).toMatchObject({ state: 'approved' });
    expect(leaf('fa').calledFor('completeAction').map((call) => call.path)).toEqual([['fa'], ['fa']]);
  });

  it('answers a completion with a bad path unknown, and never asks the subtree for a path that is not its own', async () => {
    const before = remote.traffic().sent;
    expect(await remote.completeAction({ path: ['elsewhere', 'fa'], attemptId: 'att_x_1', providerReference: null, returnData: {} }, ctx())).toMatchObject({ state: 'unknown' });
    expect(remote.traffic().sent).toBe(before);
    expect(await remote.completeAction({ path: ['far', 'edge', 'nope'], attemptId: 'att_x_1', providerReference: null, returnData: {} }, ctx())).toMatchObject({ state: 'unknown', code: 'processing_error' });
  });

  it('carries a status waiting for the shopper, with its next action', async () => {
    leaf('fb').settings.status = 'requires_action';
    expect(await remote.status({ path: ['far', 'edge', 'fb'], attemptId: 'att_s_1', providerReference: null }, ctx())).toMatchObject({ state: 'requires_action', nextAction: challengeOf('att_s_1') });
  });

  it('hands a notification to the leaf behind the remote, through the router above, and returns its facts and reply', async () => {
    const fact: NotificationFact = { eventId: 'ev_9', kind: 'refunded', attemptId: 'att_x_1', operationId: 're_1', providerReference: 'psp_1', amount: 300, currency: 'EUR', code: null, message: null };
    leaf('fb').settings.notification = { ok: true, facts: [fact], reply: { status: 202, contentType: 'text/plain', body: '[accepted]' } };
    const answer = await root.parseNotification(notification('fb', 'the raw body'), ctx());
    expect(answer).toEqual({ ok: true, facts: [fact], reply: { status: 202, contentType: 'text/plain', body: '[accepted]' } });
    expect(leaf('fb').calledFor('parseNotification')).toEqual([expect.objectContaining({ body: 'the raw body' })]);
    expect(leaf('fa').calls).toEqual([]);
  });

  it('answers unknown_node for a node not behind it (without sending), and for its own id and the hosted router', async () => {
    const before = remote.traffic().sent;
    expect(await remote.parseNotification(notification('ghost'), ctx())).toMatchObject({ ok: false, reason: 'unknown_node' });
    expect(await root.parseNotification(notification('ghost'), ctx())).toMatchObject({ ok: false, reason: 'unknown_node' });
    expect(await remote.parseNotification(notification('far'), ctx())).toMatchObject({ ok: false, reason: 'unknown_node' });
    expect(remote.traffic().sent).toBe(before);
    expect(await remote.parseNotification(notification('edge'), ctx())).toMatchObject({ ok: false, reason: 'unknown_node', message: expect.stringContaining('router') });
  });

  it('a leaf that throws behind the remote makes the notification unreachable (the provider sends it again)', async () => {
    leaf('fa').settings.notification = 'throw';
    expect(await root.parseNotification(notification('fa'), ctx())).toMatchObject({ ok: false, reason: 'unreachable', message: expect.stringContaining('fa broke while parsing') });
  });

  it('a remote never described yet sends the notification on: only its node-host knows its nodes', async () => {
    const fresh = new RemoteNode({ id: 'fresh', target: served.target });
    try {
      expect(fresh.subtreeOps.has('fb')).toBe(false);
      expect(await fresh.parseNotification(notification('fb'), ctx())).toEqual({ ok: true, facts: [], reply: FAKE_NOTIFICATION_REPLY });
      expect(leaf('fb').calledFor('parseNotification')).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});

describe.each(transports)('remote node over %s without a working node-host: shopper actions and notifications', (transport) => {
  async function nobody(): Promise<RemoteTarget> {
    if (transport === 'nats') return listenTarget('nats', natsUrl, 'nobody');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    return { transport: 'tcp', host: '127.0.0.1', port };
  }

  it('nothing listening: a completion is unknown, a notification unreachable', async () => {
    const node = await openRemote('gone', await nobody(), { describeTimeoutMs: 300 });
    try {
      expect(await node.completeAction({ path: ['gone', 'x'], attemptId: 'att_x_1', providerReference: null, returnData: {} }, ctx(1000))).toMatchObject({ state: 'unknown', code: 'provider_unavailable' });
      const answer = await node.parseNotification(notification('x'), ctx(1000));
      expect(answer).toMatchObject({ ok: false, reason: 'unreachable', message: expect.stringContaining('send it again') });
      const above = new RouterNode({ id: 'root', strategy: new PriorityStrategy(), children: [new FakeLeaf('near'), node] });
      expect(await above.parseNotification(notification('x'), ctx(1000))).toMatchObject({ ok: false, reason: 'unreachable' });
    } finally {
      await node.close();
    }
  });

  it('a node-host that predates the operations (answers none of them): unknown and unreachable, nothing assumed', async () => {
    @Module({})
    class OlderNodeHost {}
    const listen: RemoteTarget = transport === 'tcp' ? { transport: 'tcp', host: '127.0.0.1', port: 0 } : listenTarget('nats', natsUrl, 'older');
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(OlderNodeHost, { ...microserviceOptions(listen), logger: false });
    await app.listen();
    const target: RemoteTarget = listen.transport === 'tcp' ? { ...listen, port: (app.unwrap<Server>().address() as AddressInfo).port } : listen;
    const node = new RemoteNode({ id: 'old', target, describeTimeoutMs: 300 });
    try {
      expect(await node.completeAction({ path: ['old', 'x'], attemptId: 'att_x_1', providerReference: null, returnData: {} }, ctx(1000))).toMatchObject({ state: 'unknown' });
      expect(await node.parseNotification(notification('x'), ctx(1000))).toMatchObject({ ok: false, reason: 'unreachable' });
    } finally {
      await node.close();
      await app.close();
    }
  });
});
