import { attemptIdFor, contextWithTimeout, maskCard, type AuthorizeOutcome, type AuthorizeRequest, type NodeContext, type StoredCredential } from '#gateway-spi';
import { buildTree, type Tree } from '#orchestration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireNats } from '../../../../test/support/nats.js';
import { fakeCatalog } from '../../../orchestration/test-support/fake-catalog.js';
import { FakeLeaf, fakeNetworkTransactionId } from '../../../orchestration/test-support/fake-leaf.js';
import { listenTarget, openRemote, type TransportName } from '../../test-support/served-subtree.js';
import { serveSubtree, type ServedSubtree } from '../server/serve-subtree.js';
import { RemoteChannel } from './node-host-channel.js';
import type { RemoteNode } from './remote-subtree.node.js';

const natsUrl = await requireNats();
const transports: TransportName[] = natsUrl ? ['tcp', 'nats'] : ['tcp'];

const ctx = (ms = 3000): NodeContext => contextWithTimeout(ms, { traceId: 'remote-stored-credential-spec' });

const FIRST: StoredCredential = { usage: 'first', model: 'unscheduled', networkTransactionId: null };
const SUBSEQUENT: StoredCredential = { usage: 'subsequent', model: 'recurring', networkTransactionId: 'ntid_first_payment' };

let seq = 0;
function payment(over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const paymentId = `pay_remotesc${Date.now().toString(36)}${++seq}`;
  const card = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };
  return {
    paymentId,
    attemptId: attemptIdFor(paymentId, 1),
    attemptSeq: 1,
    merchantId: 'mer_1',
    amount: 1000,
    currency: 'EUR',
    capture: true,
    paymentMethod: { type: 'card', card, display: maskCard(card) },
    metadata: {},
    ...over,
  };
}

/** A rules router behind the node-host: merchant-initiated payments to one leaf, the others to another. */
const subtreeConfig = () => ({
  root: {
    id: 'edge',
    type: 'router',
    strategy: 'rules',
    rules: [{ when: { initiator: ['merchant'] }, to: 'mit' }],
    default: 'cit',
    children: [
      { id: 'cit', type: 'fake' },
      { id: 'mit', type: 'fake' },
    ],
  },
});

const leafOf = (tree: Tree, id: string) => tree.nodes.get(id) as FakeLeaf;

describe.each(transports)('stored credentials through a remote node over %s', (transport) => {
  let tree: Tree;
  let served: ServedSubtree;
  let remote: RemoteNode;

  beforeAll(async () => {
    tree = buildTree(subtreeConfig(), fakeCatalog);
    served = await serveSubtree(tree, listenTarget(transport, natsUrl, 'stored'), { nestLogger: false });
    remote = await openRemote('far', served.target);
  });

  afterAll(async () => {
    await remote?.close();
    await served?.close();
  });

  it('carries initiator and storedCredential to the leaf as sent, routes on the initiator, and brings the network transaction id back', async () => {
    const request = payment({ initiator: 'merchant', storedCredential: SUBSEQUENT });
    const outcome = await remote.authorize(request, ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['far', 'edge', 'mit'], networkTransactionId: fakeNetworkTransactionId('mit', request.attemptId) });
    expect(outcome.attempts[0]!.reason).toBe('rule initiator∈[merchant] → mit');
    expect(leafOf(tree, 'mit').calledFor('authorize').find((call) => call.attemptId === request.attemptId)).toMatchObject({ initiator: 'merchant', storedCredential: SUBSEQUENT });
  });

  it('keeps a first use with no network transaction id yet (null) as null, and a payment naming no initiator customer-initiated', async () => {
    const request = payment({ storedCredential: FIRST });
    const outcome = await remote.authorize(request, ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['far', 'edge', 'cit'], networkTransactionId: fakeNetworkTransactionId('cit', request.attemptId) });
    const call = leafOf(tree, 'cit').calledFor('authorize').find((c) => c.attemptId === request.attemptId);
    expect(call?.storedCredential).toEqual(FIRST);
    expect(call).not.toHaveProperty('initiator');
  });

  it('quotes a merchant-initiated payment down the route it would take', async () => {
    expect(await remote.quote({ amount: 1000, currency: 'EUR', method: 'card', paymentId: 'pay_q', initiator: 'merchant' }, ctx())).toMatchObject({ eligible: true, path: ['far', 'edge', 'mit'] });
  });

  it.each([
    ['an unknown initiator', { initiator: 'robot' }, 'initiator must be one of customer, merchant'],
    ['a stored credential that is not a mapping', { storedCredential: 'first' }, 'storedCredential must be a mapping'],
    ['an unknown usage', { storedCredential: { ...FIRST, usage: 'second' } }, 'storedCredential.usage must be first or subsequent'],
    ['an unknown model', { storedCredential: { ...FIRST, model: 'weekly' } }, 'storedCredential.model must be unscheduled or recurring'],
    ['a network transaction id that is a number', { storedCredential: { ...SUBSEQUENT, networkTransactionId: 42 } }, 'storedCredential.networkTransactionId must be a non-empty string or null'],
    ['a missing network transaction id', { storedCredential: { usage: 'subsequent', model: 'recurring' } }, 'storedCredential.networkTransactionId must be a non-empty string or null'],
  ])('refuses an authorize with %s as bad_request, before any leaf is asked', async (_what, over, message) => {
    const channel = new RemoteChannel(served.target, 'spec');
    const before = leafOf(tree, 'cit').calls.length + leafOf(tree, 'mit').calls.length;
    try {
      expect(await channel.call('authorize', { ...payment(), ...over }, ctx())).toEqual({ kind: 'refused', error: { kind: 'bad_request', message } });
      expect(await channel.call('quote', { amount: 1, currency: 'EUR', method: 'card', paymentId: 'pay_q', initiator: 'robot' }, ctx())).toEqual({
        kind: 'refused',
        error: { kind: 'bad_request', message: 'initiator must be one of customer, merchant' },
      });
    } finally {
      await channel.close();
    }
    expect(leafOf(tree, 'cit').calls.length + leafOf(tree, 'mit').calls.length).toBe(before);
  });
});

describe('a node-host answering a network transaction id of another shape', () => {
  /** A leaf whose approvals carry a network transaction id that is not a string. */
  class OddIdLeaf extends FakeLeaf {
    override async authorize(req: AuthorizeRequest, c: NodeContext): Promise<AuthorizeOutcome> {
      return { ...(await super.authorize(req, c)), networkTransactionId: 42 as unknown as string };
    }
  }

  it('is not taken as an approval: the reply fails its shape check and the outcome is unknown', async () => {
    const odd = new OddIdLeaf('odd');
    const served = await serveSubtree({ root: odd, nodes: new Map([['odd', odd]]), paths: new Map([['odd', ['odd']]]) }, listenTarget('tcp'), { nestLogger: false });
    const node = await openRemote('far', served.target);
    try {
      const outcome = await node.authorize(payment({ storedCredential: FIRST }), ctx());
      expect(outcome).toMatchObject({ outcome: 'unknown', retryable: false, path: ['far'] });
      expect(outcome).not.toHaveProperty('networkTransactionId');
    } finally {
      await node.close();
      await served.close();
    }
  });
});
