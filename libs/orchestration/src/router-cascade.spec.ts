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

  it('does not cascade a decline that a status inquiry found after an unknown outcome', async () => {
    const [a, b] = leaves(['a', { behaviour: 'timeout', status: 'declined', declineCode: 'try_again_later' }], ['b']);
    const node = new RouterNode({ id: 'r', strategy: new PriorityStrategy(), children: [a!, b!], cascade: { maxAttempts: 1, minBudgetMs: 0 }, timeoutMs: 50, statusTimeoutMs: 50 });
    const outcome = await pay(node, {}, 1_000);
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'try_again_later', path: ['r', 'a'], settledByInquiry: true });
    expect(b!.calledFor('authorize')).toHaveLength(0);
    // Not through a parent router either.
    const parent = new RouterNode({ id: 'p', strategy: new PriorityStrategy(), children: [node, new FakeLeaf('c')], cascade: { maxAttempts: 3, minBudgetMs: 0 } });
    const nested = await pay(parent, { paymentId: 'pay_n', attemptId: 'att_n_1' }, 1_000);
    expect(nested.attempts.map((attempt) => attempt.path.at(-1))).toEqual(['a']);
  });

  it('counts the cascades of every router of the payment against each limit', async () => {
    const inner = (id: string, first: string, second: string) =>
      new RouterNode({ id, strategy: new PriorityStrategy(), children: [new FakeLeaf(first, softDecline), new FakeLeaf(second, softDecline)], cascade: { maxAttempts: 1 } });
    const outer = new RouterNode({ id: 'r', strategy: new PriorityStrategy(), children: [inner('x', 'x1', 'x2'), inner('y', 'y1', 'y2')], cascade: { maxAttempts: 1 } });
    const outcome = await pay(outer);
    // x cascades once inside (x1 → x2): the payment has used its one cascade, so r answers x2's decline.
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'try_again_later', path: ['r', 'x', 'x2'] });
    expect(outcome.attempts.map((attempt) => attempt.path.at(-1))).toEqual(['x1', 'x2']);

    const roomier = new RouterNode({ id: 'r', strategy: new PriorityStrategy(), children: [inner('x', 'x1', 'x2'), inner('y', 'y1', 'y2')], cascade: { maxAttempts: 2 } });
    const two = await pay(roomier, { paymentId: 'pay_2', attemptId: 'att_2_1' });
    // r cascades to y (2nd cascade); y may not cascade inside (its limit of 1 is used up by the payment).
    expect(two.attempts.map((attempt) => attempt.path.at(-1))).toEqual(['x1', 'x2', 'y1']);
    expect(new Set(two.attempts.map((attempt) => attempt.attemptId)).size).toBe(3);
  });

  it('answers the decline when the cascade finds only open breakers', async () => {
    const [soft, down] = leaves(['s', softDecline], ['d', { behaviour: 'down' }]);
    const node = new RouterNode({ id: 'r', strategy: new PriorityStrategy(), children: [soft!, down!], cascade: { maxAttempts: 1 }, breaker: { failureThreshold: 1, halfOpenAfterMs: 60_000 } });
    await pay(node);
    expect(node.childBreakers().d!.state).toBe('open');
    const outcome = await pay(node, { paymentId: 'pay_b', attemptId: 'att_b_1' });
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'try_again_later', path: ['r', 's'] });
    expect(outcome.attempts.map((attempt) => attempt.path.at(-1))).toEqual(['s']);
    expect(down!.calledFor('authorize')).toHaveLength(1);
  });
});
