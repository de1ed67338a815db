import { RpcException } from '@nestjs/microservices';
import { buildTree, type Tree } from '#orchestration';
import { describe, expect, it } from 'vitest';
import { fakeCatalog } from '../../../orchestration/test-support/fake-catalog.js';
import { cardRequest, challengeOf, FAKE_NOTIFICATION_REPLY, type FakeLeaf } from '../../../orchestration/test-support/fake-leaf.js';
import { WIRE_VERSION } from '../wire/protocol.js';
import { AttemptJournal } from './attempt-journal.js';
import { RemoteNodeHandler } from './subtree-host.handler.js';

const subtree = (): Tree =>
  buildTree({ root: { id: 'edge', type: 'router', strategy: 'priority', children: [{ id: 'fa', type: 'fake' }, { id: 'fb', type: 'fake' }] } }, fakeCatalog);
const envelope = (body: unknown, budgetMs = 1000) => ({ v: WIRE_VERSION, traceId: 'async-handler-spec', budgetMs, body });
const leaf = (tree: Tree, id: string) => tree.nodes.get(id) as FakeLeaf;
const pathless = (attemptId: string) => ({ path: [], attemptId, providerReference: null, returnData: { redirectResult: 'r' } });

async function refusal(work: Promise<unknown>): Promise<unknown> {
  const error = await work.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RpcException);
  return (error as RpcException).getError();
}

describe('remote node handler: completing a shopper action', () => {
  it('completes down the path, or, for a path the caller lost, at the leaf the journal recorded', async () => {
    const tree = subtree();
    leaf(tree, 'fa').settings.behaviour = 'down';
    leaf(tree, 'fb').settings.behaviour = 'requires_action';
    const handler = new RemoteNodeHandler(tree);
    const request = cardRequest({ returnUrl: 'https://root.test/return' });
    const outcome = await handler.authorize(envelope(request));
    expect(outcome).toMatchObject({ outcome: 'requires_action', path: ['edge', 'fb'], nextAction: challengeOf('att_abc_2') });

    expect(await handler.completeAction(envelope({ ...pathless('x'), path: ['edge', 'fb'], attemptId: 'att_abc_2' }))).toMatchObject({ state: 'approved' });
    expect(await handler.completeAction(envelope(pathless(request.attemptId)))).toMatchObject({ state: 'approved' });
    expect(leaf(tree, 'fb').calledFor('completeAction').map((call) => [call.path, call.attemptId, call.returnData])).toEqual([
      [['fb'], 'att_abc_2', { redirectResult: 'r' }],
      [['fb'], 'att_abc_2', { redirectResult: 'r' }],
    ]);
    expect(leaf(tree, 'fa').calledFor('completeAction')).toEqual([]);
  });

  it('after a restart finds the leaf waiting for the shopper by asking every leaf', async () => {
    const tree = subtree();
    leaf(tree, 'fb').settings.status = 'requires_action';
    const restarted = new RemoteNodeHandler(tree, { journal: new AttemptJournal() });
    expect(await restarted.status(envelope({ path: [], attemptId: 'att_abc_1', providerReference: null }))).toMatchObject({ state: 'requires_action', nextAction: challengeOf('att_abc_1') });
    expect(await restarted.completeAction(envelope(pathless('att_abc_1')))).toMatchObject({ state: 'approved' });
    expect(leaf(tree, 'fb').calledFor('completeAction')).toEqual([expect.objectContaining({ path: ['fb'], attemptId: 'att_abc_1' })]);
  });

  it('answers the search\'s own status when no leaf holds the attempt', async () => {
    const tree = subtree();
    const handler = new RemoteNodeHandler(tree);
    expect(await handler.completeAction(envelope(pathless('att_none_1')))).toMatchObject({ state: 'not_found' });
    expect([...leaf(tree, 'fa').calledFor('completeAction'), ...leaf(tree, 'fb').calledFor('completeAction')]).toEqual([]);
  });

  it('refuses a completion without return data as bad_request', async () => {
    const handler = new RemoteNodeHandler(subtree());
    expect(await refusal(handler.completeAction(envelope({ path: ['edge', 'fa'], attemptId: 'a', providerReference: null })))).toEqual({ kind: 'bad_request', message: 'returnData must be a mapping of strings' });
    expect(await refusal(handler.completeAction(envelope({ path: ['edge', 'fa'], attemptId: 'a', returnData: { n: 1 } })))).toEqual({ kind: 'bad_request', message: 'returnData must be a mapping of strings' });
  });
});

describe('remote node handler: notifications', () => {
  it('hands them to the hosted subtree, which finds the leaf or answers unknown_node', async () => {
    const tree = subtree();
    const handler = new RemoteNodeHandler(tree);
    expect(await handler.notification(envelope({ nodeId: 'fb', body: 'raw', headers: { 'x-sig': 's' } }))).toEqual({ ok: true, facts: [], reply: FAKE_NOTIFICATION_REPLY });
    expect(leaf(tree, 'fb').calledFor('parseNotification')).toEqual([expect.objectContaining({ body: 'raw' })]);
    expect(await handler.notification(envelope({ nodeId: 'ghost', body: '', headers: {} }))).toMatchObject({ ok: false, reason: 'unknown_node' });
  });

  it('refuses what is not a notification as bad_request, before touching the subtree', async () => {
    const handler = new RemoteNodeHandler(subtree());
    expect(await refusal(handler.notification(envelope({ body: 'x', headers: {} })))).toEqual({ kind: 'bad_request', message: 'nodeId must be a non-empty string' });
    expect(await refusal(handler.notification(envelope({ nodeId: 'fa', body: { parsed: true }, headers: {} })))).toEqual({ kind: 'bad_request', message: 'body must be the raw text of the notification' });
    expect(await refusal(handler.notification(envelope({ nodeId: 'fa', body: 'x', headers: { n: 1 } })))).toEqual({ kind: 'bad_request', message: 'headers must be a mapping of strings' });
  });
});
