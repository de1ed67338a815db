import { RpcException } from '@nestjs/microservices';
import { adapterCatalog } from '#adapter-catalog';
import { attemptIdFor, contextWithTimeout, maskCard, type AuthorizeRequest, type OperationOutcome, type StatusOutcome } from '#gateway-spi';
import { buildTree, type Tree } from '#orchestration';
import { describe, expect, it } from 'vitest';
import { WIRE_VERSION } from '../wire/protocol.js';
import { AttemptJournal } from './attempt-journal.js';
import { RemoteNodeHandler, serverBudget } from './subtree-host.handler.js';

const subtree = (): Tree =>
  buildTree(
    {
      root: {
        id: 'edge',
        type: 'router',
        strategy: 'priority',
        timeout_ms: 500,
        status_timeout_ms: 100,
        children: [
          { id: 'sim-a', type: 'simulator' },
          { id: 'sim-b', type: 'simulator' },
        ],
      },
    },
    adapterCatalog,
  );

const envelope = (body: unknown, budgetMs = 2000) => ({ v: WIRE_VERSION, traceId: 'handler-spec', budgetMs, body });

let seq = 0;
function payment(): AuthorizeRequest {
  const paymentId = `pay_handler${++seq}`;
  const card = { number: '4242424242424242', expMonth: 12, expYear: 2030 };
  return {
    paymentId,
    attemptId: attemptIdFor(paymentId, 1),
    attemptSeq: 1,
    merchantId: 'mer_1',
    amount: 700,
    currency: 'EUR',
    capture: false,
    paymentMethod: { type: 'card', card, display: maskCard(card) },
    metadata: {},
  };
}

const pathless = (attemptId: string) => ({ path: [], attemptId, providerReference: null });

/** An authorize that failed over inside the subtree: att_1 refused by sim-a, att_2 approved by sim-b. */
async function failedOverInside(tree: Tree, handler: RemoteNodeHandler) {
  tree.nodes.get('sim-a')!.faults!.setFault({ mode: 'down' });
  try {
    const request = payment();
    const outcome = await handler.authorize(envelope(request));
    expect(outcome.attempts.map((a) => [a.attemptId, a.path.join('/'), a.outcome])).toEqual([
      [request.attemptId, 'edge/sim-a', 'failed'],
      [attemptIdFor(request.paymentId, 2), 'edge/sim-b', 'approved'],
    ]);
    return request;
  } finally {
    tree.nodes.get('sim-a')!.faults!.clearFault();
  }
}

describe('remote node handler: attempts the caller lost track of (empty path)', () => {
  it('resolves the caller\'s attempt id to where the walk ended, from the journal', async () => {
    const tree = subtree();
    const handler = new RemoteNodeHandler(tree);
    const request = await failedOverInside(tree, handler);
    const status: StatusOutcome = await handler.status(envelope(pathless(request.attemptId)));
    expect(status).toMatchObject({ state: 'approved', amountAuthorized: 700 });
    const captured: OperationOutcome = await handler.capture(envelope({ ...pathless(request.attemptId), operationId: 'cap_1', amount: 700, currency: 'EUR' }));
    expect(captured.outcome).toBe('succeeded');
    expect(await tree.root.status({ path: ['edge', 'sim-b'], attemptId: attemptIdFor(request.paymentId, 2), providerReference: null }, contextWithTimeout(500, { traceId: 't' }))).toMatchObject({ amountCaptured: 700 });
  });

  it('after a restart (empty journal) asks every leaf about the attempt and the ids a failover inside would have used', async () => {
    const tree = subtree();
    const request = await failedOverInside(tree, new RemoteNodeHandler(tree));
    const restarted = new RemoteNodeHandler(tree, { journal: new AttemptJournal() });
    expect(await restarted.status(envelope(pathless(request.attemptId)))).toMatchObject({ state: 'approved', amountAuthorized: 700 });
    const voided: OperationOutcome = await restarted.void(envelope({ ...pathless(request.attemptId), operationId: 'void_1' }));
    expect(voided.outcome).toBe('succeeded');
  });

  it('answers not_found only when no leaf knows any of those ids, and unknown when a leaf does not answer', async () => {
    const tree = subtree();
    const handler = new RemoteNodeHandler(tree);
    const never = payment();
    expect(await handler.status(envelope(pathless(never.attemptId)))).toMatchObject({ state: 'not_found' });
    expect(await handler.capture(envelope({ ...pathless(never.attemptId), operationId: 'c', amount: 1, currency: 'EUR' }))).toMatchObject({ outcome: 'failed', code: 'processing_error' });
    tree.nodes.get('sim-b')!.faults!.setFault({ mode: 'timeout' });
    expect(await handler.status(envelope(pathless(never.attemptId), 300))).toMatchObject({ state: 'unknown' });
    // An attempt id of another shape cannot be followed through a failover: not_found is not provable.
    tree.nodes.get('sim-b')!.faults!.clearFault();
    expect(await handler.status(envelope(pathless('ext-123')))).toMatchObject({ state: 'unknown' });
  });
});

describe('remote node handler: the envelope', () => {
  const refusal = async (work: Promise<unknown>) => {
    const error = await work.then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(RpcException);
    return (error as RpcException).getError();
  };

  it('refuses what it does not understand as bad_request, before touching the subtree', async () => {
    const handler = new RemoteNodeHandler(subtree());
    expect(await refusal(handler.authorize({ v: 99, traceId: 't', budgetMs: 100, body: {} }))).toEqual({ kind: 'bad_request', message: 'wire version 99 is not 1' });
    expect(await refusal(handler.authorize('hello'))).toEqual({ kind: 'bad_request', message: 'the request is not an envelope' });
    expect(await refusal(handler.status(envelope({ path: 'edge/sim-a', attemptId: 'a' })))).toEqual({ kind: 'bad_request', message: 'path must be a list of node ids' });
    expect(await refusal(handler.setFault(envelope({ nodeId: 'sim-a', fault: 'down' })))).toEqual({ kind: 'bad_request', message: 'fault must be null or a mapping with a mode' });
  });

  it('while draining refuses new requests as shutting_down (nothing done)', async () => {
    const handler = new RemoteNodeHandler(subtree());
    await handler.drain();
    expect(await refusal(handler.authorize(envelope(payment())))).toMatchObject({ kind: 'shutting_down' });
  });

  it('keeps a margin of the budget for the answer\'s way back', () => {
    expect(serverBudget(150)).toBe(100);
    expect(serverBudget(1500)).toBe(1400);
    expect(serverBudget(30)).toBe(20);
    expect(serverBudget(5)).toBe(0);
  });
});
