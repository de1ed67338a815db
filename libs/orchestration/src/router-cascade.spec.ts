import type { GatewayNode } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { RouterNode } from './router.node.js';
import { PriorityStrategy } from './strategies/priority.strategy.js';
import { cardRequest, FakeLeaf, testContext, type FakeLeafSettings } from '../test-support/fake-leaf.js';

const leaves = (...specs: [string, FakeLeafSettings?][]) => specs.map(([id, settings]) => new FakeLeaf(id, settings));
const softDecline: FakeLeafSettings = { behaviour: 'decline', declineCode: 'try_again_later' };
const router = (children: GatewayNode[], cascade: { maxAttempts: number; minBudgetMs?: number } = { maxAttempts: 1 }) => new RouterNode({ id: 'r', strategy: new PriorityStrategy(), children, cascade });
const pay = (node: GatewayNode, over: Parameters<typeof cardRequest>[0] = {}, ms = 2000) =>
  node.authorize(cardRequest({ paymentId: 'pay_c', attemptId: 'att_c_1', ...over }), testContext(ms));

describe('router: soft-decline cascading', () => {
  it('retries a soft decline on the next child, with its own attempt id and the reason', async () => {
    const [a, b] = leaves(['a', softDecline], ['b']);
    const outcome = await pay(router([a!, b!]));
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['r', 'b'] });
    expect(outcome.attempts).toEqual([
      expect.objectContaining({ attemptSeq: 1, path: ['r', 'a'], outcome: 'declined', code: 'try_again_later', reason: 'priority 1/2 → a' }),
      expect.objectContaining({ attemptSeq: 2, path: ['r', 'b'], outcome: 'approved', reason: 'priority 2/2 → b (cascade after a declined try_again_later)' }),
    ]);
    expect(new Set(outcome.attempts.map((attempt) => attempt.attemptId)).size).toBe(2);
  });

  it('answers a hard decline without trying anyone else', async () => {
    const [a, b] = leaves(['a', { behaviour: 'decline', declineCode: 'insufficient_funds' }], ['b']);
    const outcome = await pay(router([a!, b!]));
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'insufficient_funds', path: ['r', 'a'] });
    expect(b!.calledFor('authorize')).toHaveLength(0);
  });

  it('does not cascade when the router is not configured to', async () => {
    const [a, b] = leaves(['a', softDecline], ['b']);
    const outcome = await pay(new RouterNode({ id: 'r', strategy: new PriorityStrategy(), children: [a!, b!] }));
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'try_again_later' });
    expect(b!.calledFor('authorize')).toHaveLength(0);
  });

  it('makes at most max_attempts extra attempts, and answers the last decline', async () => {
    const [a, b, c] = leaves(['a', softDecline], ['b', { behaviour: 'decline', declineCode: 'issuer_unavailable' }], ['c']);
    const outcome = await pay(router([a!, b!, c!]));
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'issuer_unavailable', path: ['r', 'b'] });
    expect(outcome.attempts.map((attempt) => attempt.code)).toEqual(['try_again_later', 'issuer_unavailable']);
    expect(c!.calledFor('authorize')).toHaveLength(0);
    const twice = await pay(router([new FakeLeaf('a', softDecline), new FakeLeaf('b', softDecline), new FakeLeaf('c')], { maxAttempts: 2 }), { paymentId: 'pay_d', attemptId: 'att_d_1' });
    expect(twice).toMatchObject({ outcome: 'approved', path: ['r', 'c'] });
    expect(twice.attempts).toHaveLength(3);
  });

  it('never cascades after an unknown outcome', async () => {
    const [a, b] = leaves(['a', { behaviour: 'timeout', status: 'unknown' }], ['b']);
    const outcome = await pay(new RouterNode({ id: 'r', strategy: new PriorityStrategy(), children: [a!, b!], cascade: { maxAttempts: 3 }, timeoutMs: 50, statusTimeoutMs: 20 }), {}, 500);
    expect(outcome.outcome).toBe('unknown');
    expect(b!.calledFor('authorize')).toHaveLength(0);
  });

  it('answers the decline when the cascade attempt fails without moving money', async () => {
    const [a, b] = leaves(['a', softDecline], ['b', { behaviour: 'down' }]);
    const outcome = await pay(router([a!, b!]));
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'try_again_later', path: ['r', 'a'] });
    expect(outcome.attempts.map((attempt) => [attempt.path.at(-1), attempt.outcome])).toEqual([
      ['a', 'declined'],
      ['b', 'failed'],
    ]);
  });

  it('does not cascade with less than min_budget_ms of the deadline left', async () => {
    const [a, b] = leaves(['a', softDecline], ['b']);
    const outcome = await pay(router([a!, b!], { maxAttempts: 1, minBudgetMs: 5_000 }), {}, 2_000);
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'try_again_later' });
    expect(b!.calledFor('authorize')).toHaveLength(0);
  });

  it('follows the scheme rules for a merchant-initiated payment', async () => {
    const [a, b] = leaves(['a', { behaviour: 'decline', declineCode: 'do_not_honor' }], ['b']);
    const node = new RouterNode({ id: 'r', strategy: new PriorityStrategy(), children: [a!, b!], cascade: { maxAttempts: 1, codes: { do_not_honor: 'cascade' } } });
    expect(await pay(node, { initiator: 'merchant', cascadeOptIn: true })).toMatchObject({ outcome: 'declined', code: 'do_not_honor' });
    expect(b!.calledFor('authorize')).toHaveLength(0);
    expect(await pay(node, { paymentId: 'pay_e', attemptId: 'att_e_1' })).toMatchObject({ outcome: 'approved', path: ['r', 'b'] });
  });

  it('cascades a decline that comes back from a nested router', async () => {
    const inner = new RouterNode({ id: 'inner', strategy: new PriorityStrategy(), children: [new FakeLeaf('a', softDecline)] });
    const outer = router([inner, new FakeLeaf('b')]);
    const outcome = await pay(outer);
    expect(outcome.attempts.map((attempt) => attempt.path)).toEqual([['r', 'inner', 'a'], ['r', 'b']]);
    expect(outcome.outcome).toBe('approved');
  });
});
