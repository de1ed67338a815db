import type { RoutingFacts } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { FakeLeaf } from '../../test-support/fake-leaf.js';
import { PriorityStrategy } from './priority.strategy.js';
import { describeCondition, ruleMatches, type RuleCondition } from './rule-condition.js';
import { RulesStrategy } from './rules.strategy.js';
import type { FittedChild } from './strategy.js';
import { WeightedStrategy } from './weighted.strategy.js';

const facts = (over: Partial<RoutingFacts> = {}): RoutingFacts => ({
  amount: 1000,
  currency: 'EUR',
  method: 'card',
  brand: 'visa',
  country: 'DE',
  merchantId: 'mer_1',
  paymentId: 'pay_1',
  ...over,
});

const fit = (...ids: string[]): FittedChild[] => ids.map((id) => ({ node: new FakeLeaf(id), misfit: null }));
const order = (plan: { candidates: { node: { id: string } }[] }) => plan.candidates.map((c) => c.node.id);

describe('rule conditions', () => {
  it.each([
    [{ currency: ['EUR', 'GBP'] }, {}, true],
    [{ currency: ['USD'] }, {}, false],
    [{ country: ['DE'] }, {}, true],
    [{ country: ['DE'] }, { country: undefined }, false],
    [{ method: ['card'] }, {}, true],
    [{ brand: ['mastercard'] }, {}, false],
    [{ minAmount: 1000 }, {}, true],
    [{ minAmount: 1001 }, {}, false],
    [{ maxAmount: 999 }, {}, false],
    [{ merchant: ['mer_1'] }, {}, true],
    [{ merchant: ['mer_2'] }, {}, false],
    [{ currency: ['EUR'], maxAmount: 5000, brand: ['visa'] }, {}, true],
    [{}, {}, true],
    [{ initiator: ['merchant'] }, { initiator: 'merchant' }, true],
    [{ initiator: ['merchant'] }, { initiator: 'customer' }, false],
    [{ initiator: ['merchant'] }, {}, false],
    [{ initiator: ['customer'] }, {}, true],
    [{ initiator: ['customer', 'merchant'] }, { initiator: 'merchant' }, true],
  ] satisfies [RuleCondition, Partial<RoutingFacts>, boolean][])('%j on %j → %s', (when, over, expected) => {
    expect(ruleMatches(when, facts(over))).toBe(expected);
  });

  it('reads as a reason', () => {
    expect(describeCondition({ currency: ['EUR', 'GBP'] })).toBe('currency∈[EUR,GBP]');
    expect(describeCondition({ country: ['DE'], minAmount: 100, maxAmount: 500 })).toBe('country∈[DE], amount≥100, amount≤500');
    expect(describeCondition({})).toBe('any');
    expect(describeCondition({ currency: ['EUR'], initiator: ['merchant'] })).toBe('currency∈[EUR], initiator∈[merchant]');
  });
});

describe('rules strategy', () => {
  const rules = new RulesStrategy(
    [
      { when: { currency: ['EUR', 'GBP'] }, to: 'eu' },
      { when: { currency: ['USD'] }, to: 'us' },
    ],
    'global',
  );

  it('picks the first matching rule, and only it', () => {
    const plan = rules.plan(facts(), fit('eu', 'us', 'global'));
    expect(plan.candidates).toEqual([{ node: expect.objectContaining({ id: 'eu' }), reason: 'rule currency∈[EUR,GBP] → eu' }]);
    expect(order(rules.plan(facts({ currency: 'USD' }), fit('eu', 'us', 'global')))).toEqual(['us']);
  });

  it('falls back to the default', () => {
    const plan = rules.plan(facts({ currency: 'JPY' }), fit('eu', 'us', 'global'));
    expect(plan.candidates.map((c) => [c.node.id, c.reason])).toEqual([['global', 'default → global']]);
  });

  it('skips a matching rule whose target cannot take the payment, and says so', () => {
    const children = [{ node: new FakeLeaf('eu'), misfit: 'eu does not serve country US' }, ...fit('us', 'global')];
    const plan = rules.plan(facts({ country: 'US' }), children);
    expect(order(plan)).toEqual(['global']);
    expect(plan.candidates[0]!.reason).toBe('default → global (rule currency∈[EUR,GBP] → eu skipped: eu does not serve country US)');
  });

  it('has no candidate when nothing matches and there is no default', () => {
    const plan = new RulesStrategy([{ when: { currency: ['USD'] }, to: 'us' }], undefined).plan(facts(), fit('us'));
    expect(plan).toEqual({ candidates: [], none: 'no rule matched and there is no default' });
  });
});

describe('weighted strategy', () => {
  const weighted = new WeightedStrategy(new Map([['alpha', 70], ['beta', 30]]));

  it('is deterministic per payment id and lists the others as fallback', () => {
    const first = weighted.plan(facts({ paymentId: 'pay_42' }), fit('alpha', 'beta'));
    expect(weighted.plan(facts({ paymentId: 'pay_42' }), fit('alpha', 'beta'))).toEqual(first);
    expect(first.candidates).toHaveLength(2);
    expect(first.candidates[0]!.reason).toMatch(/^weighted 70\/30 → (alpha|beta)$/);
    expect(first.candidates[1]!.reason).toMatch(/^weighted 70\/30 fallback → (alpha|beta)$/);
  });

  it('splits about 70/30 over many payments', () => {
    let alpha = 0;
    for (let i = 0; i < 2000; i++) if (order(weighted.plan(facts({ paymentId: `pay_${i}` }), fit('alpha', 'beta')))[0] === 'alpha') alpha++;
    expect(alpha / 2000).toBeGreaterThan(0.65);
    expect(alpha / 2000).toBeLessThan(0.75);
  });

  it('orders fallbacks heaviest first', () => {
    const three = new WeightedStrategy(new Map([['a', 10], ['b', 20], ['c', 70]]));
    for (let i = 0; i < 50; i++) {
      const ids = order(three.plan(facts({ paymentId: `p${i}` }), fit('a', 'b', 'c')));
      const rest = ids.slice(1);
      expect(rest).toEqual(['c', 'b', 'a'].filter((id) => id !== ids[0]));
    }
  });

  it('splits among the children that fit only', () => {
    const children = [{ node: new FakeLeaf('alpha'), misfit: 'alpha does not take JPY' }, ...fit('beta')];
    const plan = weighted.plan(facts(), children);
    expect(plan.candidates.map((c) => c.reason)).toEqual(['weighted 30 → beta']);
    expect(weighted.plan(facts(), [{ node: new FakeLeaf('alpha'), misfit: 'x' }]).candidates).toEqual([]);
  });
});

describe('priority strategy', () => {
  it('keeps config order, skipping children that do not fit', () => {
    const strategy = new PriorityStrategy();
    const children = [...fit('a'), { node: new FakeLeaf('b'), misfit: 'b does not take EUR' }, ...fit('c')];
    expect(strategy.plan(facts(), children).candidates.map((c) => [c.node.id, c.reason])).toEqual([
      ['a', 'priority 1/3 → a'],
      ['c', 'priority 3/3 → c'],
    ]);
    expect(strategy.plan(facts(), [{ node: new FakeLeaf('b'), misfit: 'b does not take EUR' }])).toEqual({ candidates: [], none: 'no child can take it (b does not take EUR)' });
  });
});
