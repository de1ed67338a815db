import type { RoutingFacts } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { RouterNode } from './router.node.js';
import { LowestCostStrategy } from './strategies/lowest-cost.strategy.js';
import { PriorityStrategy } from './strategies/priority.strategy.js';
import { RulesStrategy } from './strategies/rules.strategy.js';
import { WeightedStrategy } from './strategies/weighted.strategy.js';
import { cardRequest, FakeLeaf, testContext } from '../test-support/fake-leaf.js';

const facts = (over: Partial<RoutingFacts> = {}): RoutingFacts => ({ amount: 1000, currency: 'EUR', method: 'card', brand: 'visa', paymentId: 'pay_abc', ...over });

function tree() {
  const alpha = new FakeLeaf('alpha', { fee: 18 });
  const beta = new FakeLeaf('beta', { fee: 15 });
  const gamma = new FakeLeaf('gamma', { fee: 20, currencies: ['USD'] });
  const delta = new FakeLeaf('delta', { fee: 25, currencies: ['USD'] });
  const global = new FakeLeaf('global', { fee: 30, currencies: ['EUR', 'USD', 'JPY'] });
  const eu = new RouterNode({ id: 'eu', strategy: new WeightedStrategy(new Map([['alpha', 70], ['beta', 30]])), children: [alpha, beta] });
  const us = new RouterNode({ id: 'us', strategy: new PriorityStrategy(), children: [gamma, delta], breaker: { failureThreshold: 1 } });
  const cheap = new RouterNode({ id: 'cheap', strategy: new LowestCostStrategy(), children: [new FakeLeaf('c1', { fee: 9 }), new FakeLeaf('c2', { fee: 3 })] });
  const root = new RouterNode({
    id: 'root',
    strategy: new RulesStrategy(
      [
        { when: { currency: ['EUR'], maxAmount: 5000 }, to: 'eu' },
        { when: { currency: ['USD'] }, to: 'us' },
        { when: { currency: ['GBP'] }, to: 'cheap' },
      ],
      'global',
    ),
    children: [eu, us, cheap, global],
  });
  return { root, alpha, beta, gamma, delta };
}

describe('routing preview', () => {
  it('lists the candidate leaves in failover order with fees and every level of reasons, and the skipped children', async () => {
    const { root } = tree();
    const preview = await root.preview(facts({ currency: 'USD' }), testContext());
    expect(preview.candidates).toEqual([
      { path: ['root', 'us', 'gamma'], eligible: true, fee: 20, reason: 'rule currency∈[USD] → us; priority 1/2 → gamma', breaker: 'closed' },
      { path: ['root', 'us', 'delta'], eligible: true, fee: 25, reason: 'rule currency∈[USD] → us; priority 2/2 → delta', breaker: 'closed' },
    ]);
    expect(preview.skipped).toEqual([
      { path: ['root', 'eu'], reason: 'not chosen by rules' },
      { path: ['root', 'cheap'], reason: 'not chosen by rules' },
      { path: ['root', 'global'], reason: 'not chosen by rules' },
    ]);
  });

  it('matches what authorize then does, for rules, weighted (pinned to the payment id), priority and lowest-cost', async () => {
    const { root } = tree();
    for (const [currency, paymentId] of [['EUR', 'pay_1'], ['EUR', 'pay_2'], ['EUR', 'pay_7'], ['USD', 'pay_3'], ['GBP', 'pay_4'], ['JPY', 'pay_5']] as const) {
      const preview = await root.preview(facts({ currency, paymentId }), testContext());
      const outcome = await root.authorize(cardRequest({ currency, paymentId }), testContext());
      expect(preview.candidates[0]!.path).toEqual(outcome.path);
      expect(preview.candidates[0]!.reason).toBe(outcome.attempts[0]!.reason);
    }
  });

  it('without a payment id, lists a weighted split by share', async () => {
    const { root } = tree();
    const preview = await root.preview(facts(), testContext(), { pinned: false });
    expect(preview.candidates.map((c) => [c.path.join('/'), c.fee, c.reason])).toEqual([
      ['root/eu/alpha', 18, 'rule currency∈[EUR], amount≤5000 → eu; weighted 70/30 → alpha (70% of payments, by payment id)'],
      ['root/eu/beta', 15, 'rule currency∈[EUR], amount≤5000 → eu; weighted 70/30 → beta (30% of payments, by payment id)'],
    ]);
  });

  it('orders a lowest-cost level by fee and shows open breakers as skipped, like the payment that follows', async () => {
    const { root, gamma } = tree();
    expect((await root.preview(facts({ currency: 'GBP' }), testContext())).candidates.map((c) => [c.path.join('/'), c.fee])).toEqual([
      ['root/cheap/c2', 3],
      ['root/cheap/c1', 9],
    ]);
    gamma.settings.behaviour = 'down';
    await root.authorize(cardRequest({ currency: 'USD' }), testContext());
    const preview = await root.preview(facts({ currency: 'USD' }), testContext());
    expect(preview.candidates).toEqual([
      { path: ['root', 'us', 'delta'], eligible: true, fee: 25, reason: 'rule currency∈[USD] → us; priority 2/2 → delta (after gamma: breaker open)', breaker: 'closed' },
    ]);
    expect(preview.skipped).toContainEqual({ path: ['root', 'us', 'gamma'], reason: 'breaker open' });
    const outcome = await root.authorize(cardRequest({ currency: 'USD', paymentId: 'pay_9' }), testContext());
    expect(outcome.attempts.map((a) => [a.path, a.reason])).toEqual([[preview.candidates[0]!.path, preview.candidates[0]!.reason]]);
  });

  it('says why there is no candidate, and marks a leaf whose quote is not eligible', async () => {
    const { root, alpha } = tree();
    expect(await root.preview(facts({ currency: 'CHF' }), testContext())).toMatchObject({
      candidates: [],
      skipped: expect.arrayContaining([{ path: ['root'], reason: 'router root: default → global skipped: global does not take CHF' }]),
    });
    alpha.settings.behaviour = 'down';
    const preview = await root.preview(facts({ paymentId: 'pay_1' }), testContext());
    expect(preview.candidates.find((c) => c.path.includes('alpha'))).toMatchObject({ eligible: false, fee: null, reason: expect.stringContaining('not eligible: down') });
  });
});
