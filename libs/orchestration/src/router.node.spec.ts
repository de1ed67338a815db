import { attemptIdFor, type GatewayNode } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { attemptBudget } from './failover.js';
import { RouterNode } from './router.node.js';
import { PriorityStrategy } from './strategies/priority.strategy.js';
import { RulesStrategy } from './strategies/rules.strategy.js';
import { WeightedStrategy } from './strategies/weighted.strategy.js';
import { cardRequest, FakeLeaf, testContext, type FakeLeafSettings } from '../test-support/fake-leaf.js';

const priority = (id: string, children: GatewayNode[], timeouts: { timeoutMs?: number; statusTimeoutMs?: number } = {}) =>
  new RouterNode({ id, strategy: new PriorityStrategy(), children, ...timeouts });

const leaves = (...specs: [string, FakeLeafSettings?][]) => specs.map(([id, settings]) => new FakeLeaf(id, settings));

describe('router: priority walk and failover', () => {
  it('returns the first approved child with path and reason', async () => {
    const [a, b] = leaves(['a'], ['b']);
    const outcome = await priority('r', [a!, b!]).authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['r', 'a'], providerReference: 'ref_a_att_abc_1' });
    expect(outcome.attempts).toEqual([expect.objectContaining({ attemptId: 'att_abc_1', attemptSeq: 1, path: ['r', 'a'], reason: 'priority 1/2 → a' })]);
    expect(b!.calls).toEqual([]);
  });

  it.each(['down', 'error'] as const)('fails over from a %s leaf to its sibling, returning both attempts', async (behaviour) => {
    const [a, b] = leaves(['a', { behaviour }], ['b']);
    const outcome = await priority('r', [a!, b!]).authorize(cardRequest(), testContext());
    const code = behaviour === 'down' ? 'provider_unavailable' : 'processing_error';
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['r', 'b'] });
    expect(outcome.attempts.map((x) => [x.attemptId, x.attemptSeq, x.path.join('/'), x.outcome, x.code, x.reason])).toEqual([
      ['att_abc_1', 1, 'r/a', 'failed', code, 'priority 1/2 → a'],
      ['att_abc_2', 2, 'r/b', 'approved', null, `priority 2/2 → b (after a: ${code})`],
    ]);
    expect(b!.calls[0]).toMatchObject({ attemptId: attemptIdFor('pay_abc', 2), attemptSeq: 2 });
  });

  it('returns the last retryable failure when every child fails', async () => {
    const [a, b] = leaves(['a', { behaviour: 'down' }], ['b', { behaviour: 'error' }]);
    const outcome = await priority('r', [a!, b!]).authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'processing_error', retryable: true, path: ['r', 'b'] });
    expect(outcome.attempts).toHaveLength(2);
  });

  it('does not fail over a hard decline', async () => {
    const [a, b] = leaves(['a', { behaviour: 'decline' }], ['b']);
    const outcome = await priority('r', [a!, b!]).authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'card_declined', retryable: false, path: ['r', 'a'] });
    expect(outcome.attempts).toHaveLength(1);
    expect(b!.calls).toEqual([]);
  });

  it('only tries children whose capabilities fit', async () => {
    const [a, b] = leaves(['a', { currencies: ['USD'] }], ['b']);
    const outcome = await priority('r', [a!, b!]).authorize(cardRequest(), testContext());
    expect(outcome.attempts.map((x) => x.reason)).toEqual(['priority 2/2 → b']);
    expect(a!.calls).toEqual([]);
  });
});

describe('router: unknown outcomes and status inquiry', () => {
  const fast = { timeoutMs: 60, statusTimeoutMs: 60 };

  it('a timeout that status resolves as approved ends approved at that leaf, without failover', async () => {
    const [a, b] = leaves(['a', { behaviour: 'timeout', status: 'approved' }], ['b']);
    const outcome = await priority('r', [a!, b!], fast).authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({ outcome: 'approved', code: null, retryable: false, path: ['r', 'a'], providerReference: 'ref_a_att_abc_1' });
    expect(outcome.attempts).toEqual([expect.objectContaining({ outcome: 'approved', reason: 'priority 1/2 → a (resolved by status inquiry)' })]);
    expect(a!.calledFor('status')).toEqual([expect.objectContaining({ path: ['a'], attemptId: 'att_abc_1' })]);
    expect(b!.calls).toEqual([]);
  });

  it('a timeout that status cannot settle stops with unknown, without failover', async () => {
    const [a, b] = leaves(['a', { behaviour: 'timeout', status: 'unknown' }], ['b']);
    const outcome = await priority('r', [a!, b!], fast).authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false, path: ['r', 'a'] });
    expect(outcome.attempts).toEqual([expect.objectContaining({ outcome: 'unknown', reason: 'priority 1/2 → a (status inquiry: no answer)' })]);
    expect(b!.calls).toEqual([]);
  });

  it('a timeout whose attempt status does not find fails over: nothing was charged', async () => {
    const [a, b] = leaves(['a', { behaviour: 'timeout', status: 'not_found' }], ['b']);
    const outcome = await priority('r', [a!, b!], fast).authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['r', 'b'] });
    expect(outcome.attempts.map((x) => [x.outcome, x.code])).toEqual([
      ['failed', 'provider_timeout'],
      ['approved', null],
    ]);
  });

  it('a timeout that status finds declined is final', async () => {
    const [a, b] = leaves(['a', { behaviour: 'timeout', status: 'declined' }], ['b']);
    const outcome = await priority('r', [a!, b!], fast).authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'card_declined', retryable: false });
    expect(b!.calls).toEqual([]);
  });

  it('gives each child at most timeout_ms and keeps room for the status inquiry', async () => {
    const [a] = leaves(['a', { behaviour: 'timeout', status: 'unknown' }]);
    const started = Date.now();
    await priority('r', [a!], { timeoutMs: 100, statusTimeoutMs: 50 }).authorize(cardRequest(), testContext(5000));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(a!.calledFor('authorize')[0]!.budgetMs).toBeLessThanOrEqual(100);
    expect(a!.calledFor('status')[0]!.budgetMs).toBeLessThanOrEqual(50);

    const ctx = testContext(1000);
    expect(attemptBudget(ctx, { routerId: 'r', timeoutMs: 3000, statusTimeoutMs: 300 })).toBeLessThanOrEqual(700);
    expect(attemptBudget(testContext(400), { routerId: 'r', timeoutMs: 3000, statusTimeoutMs: 1000 })).toBeGreaterThanOrEqual(150);
  });
});

describe('router: nesting', () => {
  function tree() {
    const [alpha, beta, global] = leaves(['alpha'], ['beta'], ['global', { currencies: ['EUR', 'GBP', 'USD', 'JPY'] }]);
    const eu = new RouterNode({ id: 'eu', strategy: new WeightedStrategy(new Map([['alpha', 70], ['beta', 30]])), children: [alpha!, beta!] });
    const root = new RouterNode({
      id: 'root',
      strategy: new RulesStrategy([{ when: { currency: ['EUR', 'GBP'] }, to: 'eu' }], 'global'),
      children: [eu, global!],
    });
    return { root, eu, alpha: alpha!, beta: beta!, global: global! };
  }

  it('prefixes paths and joins reasons level by level', async () => {
    const { root } = tree();
    const outcome = await root.authorize(cardRequest(), testContext());
    const leaf = outcome.path[2]!;
    expect(outcome.path).toEqual(['root', 'eu', leaf]);
    expect(outcome.attempts).toEqual([expect.objectContaining({ path: ['root', 'eu', leaf], reason: `rule currency∈[EUR,GBP] → eu; weighted 70/30 → ${leaf}` })]);
  });

  it('fails over inside the subtree and numbers attempts across levels', async () => {
    const { root, alpha, beta } = tree();
    alpha.settings.behaviour = 'down';
    beta.settings.behaviour = 'down';
    const nested = new RouterNode({ id: 'top', strategy: new PriorityStrategy(), children: [root, priority('spare', leaves(['s1']))] });
    const outcome = await nested.authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['top', 'spare', 's1'] });
    expect(outcome.attempts.map((x) => [x.attemptSeq, x.attemptId, x.path.join('/')])).toEqual([
      [1, 'att_abc_1', expect.stringMatching(/^top\/root\/eu\/(alpha|beta)$/)],
      [2, 'att_abc_2', expect.stringMatching(/^top\/root\/eu\/(alpha|beta)$/)],
      [3, 'att_abc_3', 'top/spare/s1'],
    ]);
    expect(outcome.attempts[2]!.reason).toBe('priority 2/2 → spare (after root: provider_unavailable); priority 1/1 → s1');
  });

  it('rules do not fail over to siblings: the chosen subtree failing is final for the rules router', async () => {
    const { root, alpha, beta, global } = tree();
    alpha.settings.behaviour = 'down';
    beta.settings.behaviour = 'down';
    const outcome = await root.authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
    expect(global.calls).toEqual([]);
  });

  it('routes follow-ups down the recorded path', async () => {
    const { root, alpha, beta, global } = tree();
    const base = { attemptId: 'att_abc_1', providerReference: 'ref', operationId: 'op_1', amount: 100, currency: 'EUR' };
    expect(await root.capture({ ...base, path: ['root', 'eu', 'beta'] }, testContext())).toMatchObject({ outcome: 'succeeded' });
    expect(await root.refund({ ...base, path: ['root', 'global'] }, testContext())).toMatchObject({ outcome: 'succeeded' });
    expect(await root.void({ ...base, path: ['root', 'eu', 'alpha'] }, testContext())).toMatchObject({ outcome: 'succeeded' });
    expect(await root.status({ ...base, path: ['root', 'eu', 'alpha'] }, testContext())).toMatchObject({ state: 'not_found' });
    expect(beta.calls).toEqual([{ op: 'capture', path: ['beta'] }]);
    expect(global.calls).toEqual([{ op: 'refund', path: ['global'] }]);
    expect(alpha.calls.map((c) => [c.op, c.path])).toEqual([
      ['void', ['alpha']],
      ['status', ['alpha']],
    ]);
  });

  it('refuses a follow-up with a path that does not lead to a child', async () => {
    const { root } = tree();
    const base = { attemptId: 'a', providerReference: null, operationId: 'op', amount: 1, currency: 'EUR' };
    expect(await root.capture({ ...base, path: ['eu', 'alpha'] }, testContext())).toMatchObject({ outcome: 'failed', message: 'path eu/alpha does not start at router root' });
    expect(await root.capture({ ...base, path: ['root', 'us', 'x'] }, testContext())).toMatchObject({ outcome: 'failed', message: 'router root has no child us (path root/us/x)' });
    expect(await root.refund({ ...base, path: ['root', 'eu', 'gamma'] }, testContext())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('router eu has no child gamma') });
    expect(await root.void({ ...base, path: ['root'] }, testContext())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('ends at router root') });
    expect((await root.status({ ...base, path: ['root', 'nope'] }, testContext())).state).toBe('unknown');
  });
});

describe('router: no route', () => {
  it('answers currency_not_supported when no child takes the currency', async () => {
    const outcome = await priority('r', leaves(['a'], ['b'])).authorize(cardRequest({ currency: 'JPY' }), testContext());
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'currency_not_supported', retryable: true, attempts: [], path: ['r'] });
    expect(outcome.message).toContain('a does not take JPY');
  });

  it('answers no_route when the currency is taken but nothing fits', async () => {
    const router = priority('r', leaves(['a', { countries: ['DE'] }]));
    const outcome = await router.authorize(cardRequest({ customerCountry: 'FR' }), testContext());
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'no_route', retryable: true, attempts: [] });
    expect(outcome.message).toContain('a does not serve country FR');
  });
});

describe('router: quote, health, describe', () => {
  const facts = { amount: 1000, currency: 'EUR', method: 'card', paymentId: 'pay_1' };

  it('quotes the first eligible candidate in plan order, path prefixed', async () => {
    const [a, b] = leaves(['a', { behaviour: 'down', fee: 1 }], ['b', { fee: 20 }]);
    const quote = await priority('r', [a!, b!]).quote(facts, testContext());
    expect(quote).toEqual({ eligible: true, fee: 20, path: ['r', 'b'], reason: 'priority 2/2 → b; fee 20' });
  });

  it('quotes ineligible when nothing fits, and does not wait for a child past its budget', async () => {
    expect(await priority('r', leaves(['a'])).quote({ ...facts, currency: 'JPY' }, testContext())).toMatchObject({ eligible: false, path: ['r'] });
    const started = Date.now();
    const quote = await priority('r', leaves(['a', { quoteHangs: true }]), { timeoutMs: 30 }).quote(facts, testContext());
    expect(quote).toMatchObject({ eligible: false, reason: expect.stringContaining('no answer before the deadline') });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('aggregates health: up, degraded, down, partial when a child does not answer', async () => {
    const health = async (...states: FakeLeafSettings['health'][]) =>
      priority('r', states.map((health, i) => new FakeLeaf(`c${i}`, { health })), { timeoutMs: 30 }).health(testContext());
    expect(await health('up', 'up')).toEqual({ id: 'r', status: 'up', children: [{ id: 'c0', status: 'up' }, { id: 'c1', status: 'up' }] });
    expect((await health('up', 'down')).status).toBe('degraded');
    expect((await health('down', 'down')).status).toBe('down');
    expect(await health('up', 'hang')).toMatchObject({ status: 'degraded', partial: true, children: [{ status: 'up' }, { id: 'c1', status: 'down', detail: 'no answer before the deadline' }] });
  });

  it('describes itself with the union of its children', () => {
    const router = priority('r', leaves(['a', { currencies: ['EUR'], countries: ['DE'] }], ['b', { currencies: ['USD', 'EUR'], countries: ['US'] }]));
    expect(router.describe()).toMatchObject({
      id: 'r',
      kind: 'router',
      type: 'router',
      strategy: 'priority',
      capabilities: { currencies: ['EUR', 'USD'], paymentMethods: ['card'], countries: ['DE', 'US'], partialCapture: true, multipleRefunds: false },
      children: [{ id: 'a' }, { id: 'b' }],
    });
    expect(router.children().map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('rejects duplicate child ids', () => {
    expect(() => priority('r', leaves(['a'], ['a']))).toThrow(/unique/);
  });
});
