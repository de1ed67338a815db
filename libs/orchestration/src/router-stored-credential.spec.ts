import type { AuthorizeOutcome, AuthorizeRequest, GatewayNode, NodeContext, StoredCredential } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { RouterNode } from './router.node.js';
import { PriorityStrategy } from './strategies/priority.strategy.js';
import { RulesStrategy } from './strategies/rules.strategy.js';
import { buildTree } from './tree/tree-builder.js';
import { fakeCatalog } from '../test-support/fake-catalog.js';
import { cardRequest, FakeLeaf, fakeNetworkTransactionId, testContext, type FakeLeafSettings } from '../test-support/fake-leaf.js';

const FIRST: StoredCredential = { usage: 'first', model: 'unscheduled', networkTransactionId: null };
const SUBSEQUENT: StoredCredential = { usage: 'subsequent', model: 'recurring', networkTransactionId: 'ntid_from_elsewhere' };

const merchantInitiated = (over: Partial<AuthorizeRequest> = {}) => cardRequest({ initiator: 'merchant', storedCredential: SUBSEQUENT, ...over });

const priority = (id: string, children: GatewayNode[], timeouts: { timeoutMs?: number; statusTimeoutMs?: number } = {}) =>
  new RouterNode({ id, strategy: new PriorityStrategy(), children, ...timeouts });

const leaf = (id: string, settings?: FakeLeafSettings) => new FakeLeaf(id, settings);

/** A leaf whose answer is fixed: an unknown outcome that names a network transaction id, say. */
class ScriptedLeaf extends FakeLeaf {
  constructor(
    id: string,
    private readonly answer: (outcome: AuthorizeOutcome) => AuthorizeOutcome,
    settings?: FakeLeafSettings,
  ) {
    super(id, settings);
  }

  override async authorize(req: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    return this.answer(await super.authorize(req, ctx));
  }
}

describe('rules: routing on who starts the payment', () => {
  const rules = (a: GatewayNode, b: GatewayNode) => new RouterNode({ id: 'r', strategy: new RulesStrategy([{ when: { initiator: ['merchant'] }, to: 'mit' }], 'cit'), children: [a, b] });

  it('sends merchant-initiated payments where the rule says, and says so in the reason', async () => {
    const [cit, mit] = [leaf('cit'), leaf('mit')];
    const outcome = await rules(cit, mit).authorize(merchantInitiated(), testContext());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['r', 'mit'] });
    expect(outcome.attempts[0]!.reason).toBe('rule initiator∈[merchant] → mit');
    expect(cit.calls).toEqual([]);
  });

  it('takes a payment that names no initiator as customer-initiated', async () => {
    const [cit, mit] = [leaf('cit'), leaf('mit')];
    expect((await rules(cit, mit).authorize(cardRequest(), testContext())).path).toEqual(['r', 'cit']);
    expect((await rules(cit, mit).authorize(cardRequest({ initiator: 'customer' }), testContext())).path).toEqual(['r', 'cit']);
    expect(mit.calls).toEqual([]);
  });

  it('routes by `when: {initiator: …}` from the tree config, a single value or a list', async () => {
    const config = (initiator: unknown) => ({
      root: { id: 'root', type: 'router', strategy: 'rules', rules: [{ when: { initiator, currency: ['EUR'] }, to: 'mit' }], default: 'cit', children: [{ id: 'cit', type: 'fake' }, { id: 'mit', type: 'fake' }] },
    });
    for (const initiator of ['merchant', ['merchant']]) {
      const { root } = buildTree(config(initiator), fakeCatalog);
      const outcome = await root.authorize(merchantInitiated(), testContext());
      expect(outcome.attempts.map((a) => [a.path.join('/'), a.reason])).toEqual([['root/mit', 'rule currency∈[EUR], initiator∈[merchant] → mit']]);
      expect((await root.authorize(cardRequest(), testContext())).path).toEqual(['root', 'cit']);
    }
  });

  it('previews a merchant-initiated payment down the route it would take', async () => {
    const preview = await rules(leaf('cit'), leaf('mit')).preview({ amount: 1000, currency: 'EUR', method: 'card', paymentId: 'pay_p', initiator: 'merchant' }, testContext());
    expect(preview.candidates.map((c) => [c.path.join('/'), c.reason])).toEqual([['r/mit', 'rule initiator∈[merchant] → mit']]);
  });
});

describe('routers pass the stored-credential fields down and the network transaction id up', () => {
  it('hands initiator and storedCredential to the leaf untouched, through every level and after failover', async () => {
    const [down, inner, last] = [leaf('down', { behaviour: 'down' }), leaf('inner'), leaf('last')];
    const tree = priority('root', [priority('mid', [down, inner]), last]);
    const outcome = await tree.authorize(merchantInitiated(), testContext());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['root', 'mid', 'inner'] });
    for (const child of [down, inner]) expect(child.calledFor('authorize')).toEqual([expect.objectContaining({ initiator: 'merchant', storedCredential: SUBSEQUENT })]);
    expect(last.calls).toEqual([]);
  });

  it('adds nothing to a one-off payment', async () => {
    const a = leaf('a');
    const outcome = await priority('r', [a]).authorize(cardRequest(), testContext());
    expect(a.calledFor('authorize')[0]).not.toHaveProperty('storedCredential');
    expect(a.calledFor('authorize')[0]).not.toHaveProperty('initiator');
    expect(outcome).not.toHaveProperty('networkTransactionId');
  });

  it("keeps the leaf's network transaction id on the outcome, nested and after a failover", async () => {
    const request = cardRequest({ storedCredential: FIRST });
    const direct = await priority('outer', [priority('r', [leaf('a')])]).authorize(request, testContext());
    expect(direct).toMatchObject({ outcome: 'approved', path: ['outer', 'r', 'a'], networkTransactionId: fakeNetworkTransactionId('a', request.attemptId) });
    const failedOver = await priority('outer', [priority('r', [leaf('a', { behaviour: 'error' }), leaf('b')])]).authorize(request, testContext());
    expect(failedOver).toMatchObject({ outcome: 'approved', path: ['outer', 'r', 'b'], networkTransactionId: fakeNetworkTransactionId('b', failedOver.attempts[1]!.attemptId) });
    expect(failedOver.attempts).toHaveLength(2);
  });

  it('keeps a null network transaction id (a provider that answered none)', async () => {
    const a = new ScriptedLeaf('a', (outcome) => ({ ...outcome, networkTransactionId: null }));
    expect(await priority('r', [a]).authorize(merchantInitiated(), testContext())).toMatchObject({ outcome: 'approved', networkTransactionId: null });
  });

  it('a lost reply settled approved by the status inquiry keeps the id the child gave, and a status carries none of its own', async () => {
    const fast = { timeoutMs: 60, statusTimeoutMs: 60 };
    const lost = (id: string, ntid?: string) =>
      new ScriptedLeaf(id, (outcome) => ({ ...outcome, ...(ntid !== undefined && { networkTransactionId: ntid }) }), { behaviour: 'timeout', status: 'approved' });
    const withId = await priority('r', [lost('a', 'ntid_lost')], fast).authorize(cardRequest({ storedCredential: FIRST }), testContext());
    expect(withId).toMatchObject({ outcome: 'approved', path: ['r', 'a'], networkTransactionId: 'ntid_lost' });
    const without = await priority('r', [lost('a')], fast).authorize(cardRequest({ storedCredential: FIRST }), testContext());
    expect(without).toMatchObject({ outcome: 'approved', path: ['r', 'a'] });
    expect(without).not.toHaveProperty('networkTransactionId');
  });

  it('a lost reply settled approved by the status inquiry takes the id the status answers', async () => {
    const fast = { timeoutMs: 60, statusTimeoutMs: 60 };
    class StatusWithId extends FakeLeaf {
      override async status(req: { path: string[]; attemptId: string }, ctx: NodeContext) {
        return { ...(await super.status(req, ctx)), networkTransactionId: 'ntid_from_status' };
      }
    }
    const outcome = await priority('r', [new StatusWithId('a', { behaviour: 'timeout', status: 'approved' })], fast).authorize(cardRequest({ storedCredential: FIRST }), testContext());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['r', 'a'], networkTransactionId: 'ntid_from_status' });
  });

  it('drops the id from a lost reply that the status inquiry finds never charged', async () => {
    const fast = { timeoutMs: 60, statusTimeoutMs: 60 };
    const a = new ScriptedLeaf('a', (outcome) => ({ ...outcome, networkTransactionId: 'ntid_lost' }), { behaviour: 'timeout', status: 'not_found' });
    const outcome = await priority('r', [a], fast).authorize(cardRequest({ storedCredential: FIRST }), testContext());
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'provider_timeout', retryable: true, path: ['r', 'a'] });
    expect(outcome).not.toHaveProperty('networkTransactionId');
  });
});
