import { RpcException } from '@nestjs/microservices';
import { adapterCatalog } from '#adapter-catalog';
import { buildTree, type Tree } from '#orchestration';
import { attemptIdFor, contextWithTimeout, DEFAULT_MARKET, maskCard, type AuthorizeRequest, type NodeContext } from '#gateway-spi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireNats } from '../../../../test/support/nats.js';
import { listenTarget, openRemote, serveTestSubtree, type TransportName } from '../../test-support/served-subtree.js';
import type { ServedSubtree } from '../server/serve-subtree.js';
import { RemoteNodeHandler } from '../server/subtree-host.handler.js';
import { WIRE_VERSION } from '../wire/protocol.js';
import type { RemoteNode } from './remote-subtree.node.js';

const natsUrl = await requireNats();
const transports: TransportName[] = natsUrl ? ['tcp', 'nats'] : ['tcp'];

const ctx = (ms = 3000): NodeContext => contextWithTimeout(ms, { traceId: 'remote-market-spec' });

let seq = 0;
/** Luhn-valid and no test card: the leaf's market decides. */
function plainPayment(): AuthorizeRequest {
  const paymentId = `pay_market${Date.now().toString(36)}${++seq}`;
  const card = { number: '4111111111111111', expMonth: 12, expYear: 2030, cvc: '123' };
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
      { id: 'sim-b', type: 'simulator', options: { market: { seed: 4, approval_rate: 0.9 } } },
    ],
  },
});

describe.each(transports)('markets of a remote subtree over %s', (transport) => {
  let served: ServedSubtree & { tree: Tree };
  let remote: RemoteNode;

  beforeAll(async () => {
    served = await serveTestSubtree(subtreeConfig(), listenTarget(transport, natsUrl, 'market'));
    remote = await openRemote('far', served.target);
  });

  afterAll(async () => {
    await remote?.close();
    await served?.close();
  });

  it('describes the markets of the leaves behind it (null: none set)', () => {
    expect(remote.subtreeOps.markets?.markets()).toEqual({ 'sim-a': null, 'sim-b': { ...DEFAULT_MARKET, seed: 4, approvalRate: 0.9 } });
  });

  it('sets a leaf\'s market over the wire: the leaf then declines; reset goes back to its config', async () => {
    const markets = remote.subtreeOps.markets!;
    const set = await markets.setMarket('sim-a', { approvalRate: 0, softDeclineShare: 1, softCodes: ['issuer_unavailable'] });
    expect(set).toEqual({ ok: true, market: { ...DEFAULT_MARKET, approvalRate: 0, softDeclineShare: 1, softCodes: ['issuer_unavailable'] } });
    expect(markets.markets()['sim-a']).toEqual(set.ok && set.market);
    expect(served.tree.nodes.get('sim-a')!.market!.currentMarket()).toEqual(set.ok && set.market);
    const declined = await remote.authorize(plainPayment(), ctx());
    // The priority router does not fail a decline over: the leaf's answer comes back.
    expect(declined).toMatchObject({ outcome: 'declined', code: 'issuer_unavailable', path: ['far', 'edge', 'sim-a'] });

    expect(await markets.resetMarket('sim-a')).toEqual({ ok: true, market: null });
    expect(markets.markets()['sim-a']).toBeNull();
    expect(await remote.authorize(plainPayment(), ctx())).toMatchObject({ outcome: 'approved', path: ['far', 'edge', 'sim-a'] });
    expect(await markets.resetMarket('sim-b')).toEqual({ ok: true, market: { ...DEFAULT_MARKET, seed: 4, approvalRate: 0.9 } });
  });

  it('answers the leaf\'s refusals: a bad market (invalid, naming the field), a node without one, an unknown node', async () => {
    const markets = remote.subtreeOps.markets!;
    expect(await markets.setMarket('sim-a', { approvalRate: 3 })).toEqual({ ok: false, reason: 'invalid', message: 'invalid market: market.approval_rate must be a number from 0 to 1' });
    expect(await markets.setMarket('edge', {})).toMatchObject({ ok: false, reason: 'not_supported' });
    expect(await markets.setMarket('ghost', {})).toMatchObject({ ok: false, reason: 'not_found' });
    expect(markets.markets()['sim-a']).toBeNull();
  });
});

describe('market changes served by the node-host handler', () => {
  it('refuses a body it does not understand as bad_request', async () => {
    const handler = new RemoteNodeHandler(buildTree({ root: { id: 'sim', type: 'simulator' } }, adapterCatalog));
    const envelope = (body: unknown) => ({ v: WIRE_VERSION, traceId: 't', budgetMs: 1000, body });
    const refusal = async (answer: Promise<unknown>) => {
      const error = await answer.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(RpcException);
      return (error as RpcException).getError();
    };
    expect(await refusal(handler.setMarket(envelope({ nodeId: 'sim', market: 'high' })))).toEqual({ kind: 'bad_request', message: 'market must be null or a mapping' });
    expect(await refusal(handler.resetMarket(envelope({ market: null })))).toEqual({ kind: 'bad_request', message: 'nodeId must be a non-empty string' });
    expect(await handler.setMarket(envelope({ nodeId: 'sim', market: { seed: 2 } }))).toMatchObject({ ok: true, market: { seed: 2 } });
    expect(await handler.describe(envelope({}))).toMatchObject({ markets: { sim: { seed: 2 } } });
  });
});
