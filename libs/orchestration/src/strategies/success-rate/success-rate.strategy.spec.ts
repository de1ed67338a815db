import type { RoutingFacts } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { FakeLeaf } from '../../../test-support/fake-leaf.js';
import type { FittedChild } from '../strategy.js';
import { DEFAULT_SUCCESS_RATE, type SuccessRateSettings } from './success-rate.settings.js';
import { MAX_SEGMENTS_PER_CHILD, SuccessRateStrategy } from './success-rate.strategy.js';

const facts = (paymentId: string, over: Partial<RoutingFacts> = {}): RoutingFacts => ({
  amount: 1_000,
  currency: 'EUR',
  method: 'card',
  brand: 'visa',
  country: 'DE',
  paymentId,
  ...over,
});

const children = (...ids: string[]): FittedChild[] => ids.map((id) => ({ node: new FakeLeaf(id), misfit: null }));

function strategy(over: Partial<SuccessRateSettings> = {}, clock = { now: 0 }) {
  return new SuccessRateStrategy({ ...DEFAULT_SUCCESS_RATE, minSamples: 10, weights: new Map(), ...over }, () => clock.now);
}

/** Feeds `attempts` outcomes of `childId`, the first `approved` of them approved. */
function feed(target: SuccessRateStrategy, childId: string, attempts: number, approved: number, over: Partial<RoutingFacts> = {}) {
  for (let i = 0; i < attempts; i += 1) target.observe(facts(`pay_feed_${childId}_${i}`, over), childId, i < approved ? 'approved' : 'declined', i < approved ? null : 'do_not_honor');
}

const firstChoices = (target: SuccessRateStrategy, kids: FittedChild[], payments: number, over: Partial<RoutingFacts> = {}) => {
  const counts = new Map<string, number>();
  for (let i = 0; i < payments; i += 1) {
    const first = target.plan(facts(`pay_${i}`, over), kids).candidates[0]!.node.id;
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  return counts;
};

describe('success-rate strategy', () => {
  const kids = children('a', 'b', 'c');

  it('splits by weight while a child has too few outcomes (cold start), and says so', () => {
    const target = strategy({ weights: new Map([['a', 3], ['b', 1], ['c', 1]]) });
    feed(target, 'a', 50, 45);
    feed(target, 'b', 50, 45);
    const plan = target.plan(facts('pay_1'), kids);
    expect(plan.candidates.map((c) => c.node.id).sort()).toEqual(['a', 'b', 'c']);
    expect(plan.candidates[0]!.reason).toMatch(/^success-rate \[all\] cold start \(c 0\/10 outcomes\), weighted 3\/1\/1 → /);
    const counts = firstChoices(target, kids, 5_000);
    expect((counts.get('a') ?? 0) / 5_000).toBeCloseTo(0.6, 1);
  });

  it('sends most payments to the child with the best recent rate, and still explores the others', () => {
    const target = strategy();
    feed(target, 'a', 200, 180);
    feed(target, 'b', 200, 150);
    feed(target, 'c', 200, 172);
    const counts = firstChoices(target, kids, 2_000);
    expect((counts.get('a') ?? 0) / 2_000).toBeGreaterThan(0.8);
    expect(counts.get('b') ?? 0).toBeLessThan(counts.get('c') ?? 0);
    expect(counts.get('c') ?? 0).toBeGreaterThan(0);
  });

  it('plans the same payment the same way over the same outcomes (seeded per payment)', () => {
    const one = strategy({ seed: 5 });
    const two = strategy({ seed: 5 });
    const other = strategy({ seed: 6 });
    for (const target of [one, two, other]) {
      feed(target, 'a', 30, 20);
      feed(target, 'b', 30, 19);
      feed(target, 'c', 30, 21);
    }
    const plans = (target: SuccessRateStrategy) => Array.from({ length: 50 }, (_, i) => target.plan(facts(`pay_${i}`), kids).candidates.map((c) => c.reason));
    expect(plans(one)).toEqual(plans(two));
    expect(plans(one)).not.toEqual(plans(other));
  });

  it('explains the rates and the draw of every child in the reason', () => {
    const target = strategy();
    feed(target, 'a', 20, 18);
    feed(target, 'b', 10, 5);
    const [first, second] = target.plan(facts('pay_1'), children('a', 'b')).candidates;
    expect(first!.reason).toMatch(/^success-rate \[all\] (a 0\.864 \(18\/20\) draw 0\.\d{3}, b 0\.500 \(5\/10\) draw 0\.\d{3}|b .*, a .*) → \w$/);
    expect(second!.reason).toMatch(/\(rank 2\)$/);
  });

  it('moves traffic away from a child whose rate drops', () => {
    const target = strategy({ windowSize: 100 });
    feed(target, 'a', 100, 95);
    feed(target, 'b', 100, 85);
    expect(firstChoices(target, children('a', 'b'), 500).get('a')! / 500).toBeGreaterThan(0.9);
    feed(target, 'a', 100, 60);
    expect((firstChoices(target, children('a', 'b'), 500).get('a') ?? 0) / 500).toBeLessThan(0.05);
  });

  it('finds a recovered child again once its bad outcomes age out', () => {
    const clock = { now: 0 };
    const target = strategy({ windowMs: 60_000 }, clock);
    feed(target, 'a', 50, 5);
    feed(target, 'b', 50, 40);
    expect(firstChoices(target, children('a', 'b'), 200).get('a') ?? 0).toBe(0);
    clock.now = 61_000;
    feed(target, 'b', 50, 40);
    // a has forgotten everything: not a cold start (it was warm once), but a wide posterior that wins some draws.
    const plan = target.plan(facts('pay_x'), children('a', 'b'));
    expect(plan.candidates[0]!.reason).toMatch(/^success-rate \[all\] .*a 0\.500 \(0\/0\) draw/);
    expect(firstChoices(target, children('a', 'b'), 400).get('a') ?? 0).toBeGreaterThan(20);
    feed(target, 'a', 50, 49);
    expect((firstChoices(target, children('a', 'b'), 200).get('a') ?? 0) / 200).toBeGreaterThan(0.8);
  });

  it('leaves out children below the floor, unless every child is', () => {
    const target = strategy({ floor: 0.5 });
    feed(target, 'a', 50, 10);
    feed(target, 'b', 50, 30);
    const plan = target.plan(facts('pay_1'), children('a', 'b'));
    expect(plan.candidates.map((c) => c.node.id)).toEqual(['b']);
    expect(plan.candidates[0]!.reason).toContain('a 0.212 below floor 0.5');
    const low = strategy({ floor: 0.9 });
    feed(low, 'a', 50, 10);
    feed(low, 'b', 50, 30);
    const all = low.plan(facts('pay_1'), children('a', 'b'));
    expect(all.candidates).toHaveLength(2);
    expect(all.candidates[0]!.reason).toContain('all below floor 0.9');
  });

  it('keeps a child with too few outcomes out of the floor, so it can show it recovered', () => {
    const clock = { now: 0 };
    const target = strategy({ floor: 0.6, windowMs: 60_000 }, clock);
    feed(target, 'a', 50, 10);
    feed(target, 'b', 50, 40);
    expect(target.plan(facts('pay_1'), children('a', 'b')).candidates.map((c) => c.node.id)).toEqual(['b']);
    clock.now = 61_000;
    feed(target, 'b', 50, 40);
    expect(target.plan(facts('pay_1'), children('a', 'b')).candidates.map((c) => c.node.id).sort()).toEqual(['a', 'b']);
  });

  it('stops tracking new segments of a child past the cap; its whole window still counts', () => {
    const target = strategy({ segmentBy: ['country'], minSamples: 1 });
    for (let i = 0; i <= MAX_SEGMENTS_PER_CHILD + 5; i += 1) target.observe(facts(`p${i}`, { country: `C${i}` }), 'a', 'approved', null);
    target.observe(facts('p_b', { country: 'DE' }), 'b', 'approved', null);
    const reasonFor = (country: string) => target.plan(facts('pay_1', { country }), children('a', 'b')).candidates.find((c) => c.node.id === 'a')!.reason;
    expect(reasonFor('C0')).toContain('a 0.667 (1/1) draw');
    expect(reasonFor(`C${MAX_SEGMENTS_PER_CHILD + 5}`)).toContain('a 0.995 (200/200 all) draw');
  });

  it('leaves out children whose breaker is open and those that do not fit', () => {
    const target = strategy();
    feed(target, 'a', 50, 50);
    feed(target, 'b', 50, 40);
    const kidsWithState: FittedChild[] = [
      { node: new FakeLeaf('a'), misfit: null, admitted: false },
      { node: new FakeLeaf('b'), misfit: null },
      { node: new FakeLeaf('c'), misfit: 'c does not take JPY' },
    ];
    expect(target.plan(facts('pay_1'), kidsWithState).candidates.map((c) => c.node.id)).toEqual(['b']);
  });

  it('keeps windows per segment, and falls back to the child’s whole traffic where a segment is thin', () => {
    const target = strategy({ segmentBy: ['brand'] });
    feed(target, 'a', 100, 95, { brand: 'visa' });
    feed(target, 'a', 100, 40, { brand: 'amex' });
    feed(target, 'b', 100, 70, { brand: 'visa' });
    feed(target, 'b', 100, 90, { brand: 'amex' });
    const visa = firstChoices(target, children('a', 'b'), 300, { brand: 'visa' });
    const amex = firstChoices(target, children('a', 'b'), 300, { brand: 'amex' });
    expect((visa.get('a') ?? 0) / 300).toBeGreaterThan(0.95);
    expect((amex.get('b') ?? 0) / 300).toBeGreaterThan(0.95);
    const thin = target.plan(facts('pay_1', { brand: 'mastercard' }), children('a', 'b'));
    expect(thin.candidates[0]!.reason).toMatch(/^success-rate \[mastercard\] .*\(\d+\/200 all\)/);
  });

  it('counts approvals, declines and the child’s own failures; not unknown outcomes or routing misfits', () => {
    const target = strategy({ minSamples: 1 });
    target.observe(facts('p1'), 'a', 'approved', null);
    target.observe(facts('p2'), 'a', 'declined', 'insufficient_funds');
    target.observe(facts('p3'), 'a', 'failed', 'provider_unavailable');
    target.observe(facts('p4'), 'a', 'unknown', 'provider_timeout');
    target.observe(facts('p5'), 'a', 'failed', 'no_route');
    target.observe(facts('p6'), 'a', 'requires_action', null);
    target.observe(facts('p7'), 'b', 'approved', null);
    expect(target.plan(facts('pay_1'), children('a', 'b')).candidates.find((c) => c.node.id === 'a')!.reason).toContain('a 0.400 (1/3)');
  });
});
