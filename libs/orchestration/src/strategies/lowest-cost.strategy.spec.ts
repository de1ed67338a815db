import type { GatewayNode, Quote, RoutingFacts } from '#gateway-spi';
import { describe, expect, it, vi } from 'vitest';
import { RouterNode } from '../router.node.js';
import { cardRequest, FakeLeaf, testContext, type FakeLeafSettings } from '../../test-support/fake-leaf.js';
import { LowestCostStrategy } from './lowest-cost.strategy.js';
import { PriorityStrategy } from './priority.strategy.js';
import { WeightedStrategy } from './weighted.strategy.js';

const facts: RoutingFacts = { amount: 1000, currency: 'EUR', method: 'card', paymentId: 'pay_1' };
const quote = (id: string, fee: number, eligible = true): Quote => ({ eligible, fee, path: [id], reason: eligible ? `fee ${fee}` : `${id} is unavailable` });
const leaves = (...specs: [string, FakeLeafSettings?][]) => specs.map(([id, settings]) => new FakeLeaf(id, settings));
const lowestCost = (children: GatewayNode[], extra: Partial<ConstructorParameters<typeof RouterNode>[0]> = {}) =>
  new RouterNode({ id: 'lc', strategy: new LowestCostStrategy(), children, ...extra });

describe('lowest-cost strategy', () => {
  const strategy = new LowestCostStrategy();
  const fit = (...ids: string[]) => ids.map((id) => ({ node: new FakeLeaf(id), misfit: null }));

  it('orders the children by fee, cheapest first, config order among equals, carrying their quotes', () => {
    const quotes = new Map([['a', quote('a', 30)], ['b', quote('b', 10)], ['c', quote('c', 30)], ['d', quote('d', 20)]]);
    const plan = strategy.plan(facts, fit('a', 'b', 'c', 'd'), quotes);
    expect(plan.candidates.map((c) => [c.node.id, c.reason, c.quote?.fee])).toEqual([
      ['b', 'lowest-cost fee 10 → b', 10],
      ['d', 'lowest-cost 2/4 fee 20 → d', 20],
      ['a', 'lowest-cost 3/4 fee 30 → a', 30],
      ['c', 'lowest-cost 4/4 fee 30 → c', 30],
    ]);
  });

  it('leaves out misfits, ineligible quotes and children without a quote, and says why when none is left', () => {
    const children = [{ node: new FakeLeaf('a'), misfit: 'a does not take EUR' }, ...fit('b', 'c')];
    const quotes = new Map([['a', quote('a', 1)], ['b', quote('b', 5, false)]]);
    expect(strategy.plan(facts, children, quotes)).toEqual({ candidates: [], none: 'no child quoted (a does not take EUR, b is unavailable, c: no quote)' });
  });
});

describe('router with lowest-cost', () => {
  it('scatters quotes in parallel and routes to the cheapest child, the rest in fee order as failover', async () => {
    const [a, b, c] = leaves(['a', { fee: 30 }], ['b', { fee: 10, behaviour: 'error' }], ['c', { fee: 20 }]);
    const outcome = await lowestCost([a!, b!, c!]).authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['lc', 'c'] });
    expect(outcome.attempts.map((x) => [x.path.join('/'), x.reason])).toEqual([
      ['lc/b', 'lowest-cost fee 10 → b'],
      ['lc/c', 'lowest-cost 2/3 fee 20 → c (after b: processing_error)'],
    ]);
    expect(a!.calledFor('authorize')).toEqual([]);
  });

  it('skips a child that misses the quote deadline instead of waiting for it', async () => {
    const [slow, b] = leaves(['slow', { fee: 1, quoteHangs: true }], ['b', { fee: 50 }]);
    const started = Date.now();
    const outcome = await lowestCost([slow!, b!], { quoteTimeoutMs: 50 }).authorize(cardRequest(), testContext());
    expect(Date.now() - started).toBeLessThan(500);
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['lc', 'b'] });
    expect(slow!.calledFor('authorize')).toEqual([]);
  });

  it('moves on when the cheapest is faulted: a down child quotes ineligible, an erroring one opens its breaker', async () => {
    const [cheap, mid, dear] = leaves(['cheap', { fee: 5, behaviour: 'down' }], ['mid', { fee: 10 }], ['dear', { fee: 20 }]);
    const router = lowestCost([cheap!, mid!, dear!], { breaker: { failureThreshold: 2, halfOpenAfterMs: 60_000 } });
    expect((await router.authorize(cardRequest(), testContext())).path).toEqual(['lc', 'mid']);
    expect(cheap!.calledFor('authorize')).toEqual([]);

    mid!.settings.behaviour = 'error';
    for (let i = 0; i < 2; i++) expect((await router.authorize(cardRequest(), testContext())).path).toEqual(['lc', 'dear']);
    const quoted = vi.spyOn(mid!, 'quote');
    expect((await router.authorize(cardRequest(), testContext())).attempts.map((x) => x.path.join('/'))).toEqual(['lc/dear']);
    expect(quoted).not.toHaveBeenCalled();
    expect(await router.quote(facts, testContext())).toMatchObject({ eligible: true, fee: 20, path: ['lc', 'dear'] });

    dear!.settings.behaviour = 'error';
    for (let i = 0; i < 2; i++) await router.authorize(cardRequest(), testContext());
    expect(await router.authorize(cardRequest(), testContext())).toMatchObject({
      outcome: 'failed',
      code: 'provider_unavailable',
      attempts: [],
      message: 'router lc found no route: no child quoted (down, mid: breaker open, dear: breaker open)',
    });
  });

  it('answers provider_unavailable when no child quotes', async () => {
    const outcome = await lowestCost(leaves(['a', { behaviour: 'down' }])).authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true, message: 'router lc found no route: no child quoted (down)' });
  });

  it('nests: a router quotes its best child, so a lowest-cost parent compares subtrees by their real fee', async () => {
    const [x1, x2, y1] = leaves(['x1', { fee: 40 }], ['x2', { fee: 8 }], ['y1', { fee: 12 }]);
    const x = new RouterNode({ id: 'x', strategy: new LowestCostStrategy(), children: [x1!, x2!] });
    const y = new RouterNode({ id: 'y', strategy: new PriorityStrategy(), children: [y1!] });
    const root = new RouterNode({ id: 'root', strategy: new LowestCostStrategy(), children: [y, x] });
    expect(await x.quote(facts, testContext())).toMatchObject({ fee: 8, path: ['x', 'x2'] });
    expect(await root.quote(facts, testContext())).toMatchObject({ eligible: true, fee: 8, path: ['root', 'x', 'x2'], reason: 'lowest-cost fee 8 → x; lowest-cost fee 8 → x2; fee 8' });
    expect((await root.authorize(cardRequest(), testContext())).path).toEqual(['root', 'x', 'x2']);
  });

  it('a weighted router quotes the child its payment id picks, the fee that payment would pay', async () => {
    const [a, b] = leaves(['a', { fee: 1 }], ['b', { fee: 2 }]);
    const router = new RouterNode({ id: 'w', strategy: new WeightedStrategy(new Map([['a', 1], ['b', 1]])), children: [a!, b!] });
    for (const paymentId of ['pay_1', 'pay_2', 'pay_3', 'pay_4']) {
      const picked = (await router.authorize(cardRequest({ paymentId }), testContext())).path;
      expect((await router.quote({ ...facts, paymentId }, testContext())).path).toEqual(picked);
    }
  });
});
