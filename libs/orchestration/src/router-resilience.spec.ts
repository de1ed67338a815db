import type { GatewayNode } from '#gateway-spi';
import { describe, expect, it, vi } from 'vitest';
import { ANSWER_GRACE_MS, attemptBudget } from './failover.js';
import { RouterNode } from './router.node.js';
import { PriorityStrategy } from './strategies/priority.strategy.js';
import { cardRequest, FakeLeaf, testContext, type FakeLeafSettings } from '../test-support/fake-leaf.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const leaves = (...specs: [string, FakeLeafSettings?][]) => specs.map(([id, settings]) => new FakeLeaf(id, settings));
const breaker = { failureThreshold: 2, halfOpenAfterMs: 60 };
const priority = (children: GatewayNode[], extra: Partial<ConstructorParameters<typeof RouterNode>[0]> = {}) =>
  new RouterNode({ id: 'r', strategy: new PriorityStrategy(), children, breaker, ...extra });
let paymentSeq = 0;
const pay = (router: GatewayNode, ms = 2000) => router.authorize(cardRequest({ paymentId: `pay_${++paymentSeq}`, attemptId: `att_${paymentSeq}_1` }), testContext(ms));

describe('router: a circuit breaker per child', () => {
  it.each(['down', 'error'] as const)('opens after the threshold of %s answers: the child is not called again, siblings take the payments', async (behaviour) => {
    const [a, b] = leaves(['a', { behaviour }], ['b']);
    const router = priority([a!, b!]);
    for (let i = 0; i < 2; i++) expect((await pay(router)).path).toEqual(['r', 'b']);
    expect(a!.calledFor('authorize')).toHaveLength(2);
    expect(router.childBreakers().a).toMatchObject({ state: 'open', consecutiveFailures: 2, failures: 2, opened: 1, lastFailure: behaviour === 'down' ? 'provider_unavailable' : 'processing_error' });

    for (let i = 0; i < 5; i++) {
      const outcome = await pay(router);
      expect(outcome).toMatchObject({ outcome: 'approved', path: ['r', 'b'] });
      expect(outcome.attempts).toEqual([expect.objectContaining({ reason: 'priority 2/2 → b (after a: breaker open)' })]);
    }
    expect(a!.calledFor('authorize')).toHaveLength(2);
    expect(router.childBreakers().b).toMatchObject({ state: 'closed', successes: 7, failures: 0 });
  });

  it('lets one probe through after the open period; its success closes the breaker and traffic returns', async () => {
    const [a, b] = leaves(['a', { behaviour: 'down' }], ['b']);
    const router = priority([a!, b!]);
    await pay(router);
    await pay(router);
    a!.settings.behaviour = 'approve';
    await pay(router);
    expect(a!.calledFor('authorize')).toHaveLength(2);
    await sleep(80);
    expect(router.childBreakers().a!.state).toBe('half_open');

    // The probe is in flight while two more payments come: they skip a instead of waiting for it.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = a!.authorize.bind(a);
    const held = vi.spyOn(a!, 'authorize').mockImplementationOnce(async (req, ctx) => {
      await gate;
      return original(req, ctx);
    });
    const probe = pay(router);
    await sleep(5);
    const others = await Promise.all([pay(router), pay(router)]);
    expect(others.map((o) => o.path)).toEqual([['r', 'b'], ['r', 'b']]);
    release();
    expect((await probe).path).toEqual(['r', 'a']);
    held.mockRestore();
    expect(router.childBreakers().a).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect((await pay(router)).path).toEqual(['r', 'a']);
  });

  it('a failed probe opens the breaker again for another period', async () => {
    const [a, b] = leaves(['a', { behaviour: 'error' }], ['b']);
    const router = priority([a!, b!]);
    await pay(router);
    await pay(router);
    await sleep(80);
    expect((await pay(router)).path).toEqual(['r', 'b']);
    expect(a!.calledFor('authorize')).toHaveLength(3);
    expect(router.childBreakers().a).toMatchObject({ state: 'open', opened: 2 });
    await pay(router);
    expect(a!.calledFor('authorize')).toHaveLength(3);
  });

  it('hard declines show a healthy child and never open its breaker', async () => {
    const [a, b] = leaves(['a', { behaviour: 'decline' }], ['b']);
    const router = priority([a!, b!]);
    for (let i = 0; i < 5; i++) expect(await pay(router)).toMatchObject({ outcome: 'declined', path: ['r', 'a'] });
    expect(router.childBreakers().a).toMatchObject({ state: 'closed', successes: 5, failures: 0 });
    expect(b!.calls).toEqual([]);
  });

  it('unknown outcomes count against the child', async () => {
    const [a, b] = leaves(['a', { behaviour: 'timeout', status: 'not_found' }], ['b']);
    const router = priority([a!, b!], { timeoutMs: 40, statusTimeoutMs: 40 });
    await pay(router);
    await pay(router);
    expect(router.childBreakers().a).toMatchObject({ state: 'open', lastFailure: 'provider_timeout' });
    const started = Date.now();
    expect((await pay(router)).path).toEqual(['r', 'b']);
    expect(Date.now() - started).toBeLessThan(30);
  });

  it('with every candidate open, answers provider_unavailable without calling anyone, so a parent fails over', async () => {
    const [a, b, spare] = leaves(['a', { behaviour: 'down' }], ['b', { behaviour: 'down' }], ['spare']);
    const inner = priority([a!, b!]);
    const top = new RouterNode({ id: 'top', strategy: new PriorityStrategy(), children: [inner, spare!], breaker: { failureThreshold: 10 } });
    await pay(top);
    await pay(top);
    const outcome = await pay(inner);
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true, attempts: [], message: "router r found no route: every candidate's breaker is open (a, b)" });
    expect(a!.calledFor('authorize')).toHaveLength(2);
    expect((await pay(top)).path).toEqual(['top', 'spare']);
    expect(a!.calledFor('authorize')).toHaveLength(2);
  });

  it('shows an open breaker in the health of its child', async () => {
    const [a, b] = leaves(['a', { behaviour: 'error' }], ['b']);
    const router = priority([a!, b!]);
    await pay(router);
    await pay(router);
    expect(await router.health(testContext())).toMatchObject({ status: 'degraded', children: [{ id: 'a', status: 'down', detail: 'breaker open' }, { id: 'b', status: 'up' }] });
  });
});

describe('router: the deadline is split so a slow first child cannot eat the failover', () => {
  it('gives a child at most half of what remains while siblings are left, the last one all of it', () => {
    const settings = { routerId: 'r', timeoutMs: 10_000, statusTimeoutMs: 200 };
    const ctx = testContext(2000);
    expect(attemptBudget(ctx, settings, 3)).toBeLessThanOrEqual(900);
    expect(attemptBudget(ctx, settings, 3)).toBeGreaterThan(850);
    expect(attemptBudget(ctx, settings, 1)).toBeGreaterThan(1750);
    expect(attemptBudget(ctx, { ...settings, timeoutMs: 300 }, 3)).toBe(300);
  });

  it('a first child that times out leaves the second enough time within the overall deadline', async () => {
    const [a, b] = leaves(['a', { behaviour: 'timeout', status: 'not_found' }], ['b']);
    const router = priority([a!, b!], { timeoutMs: 5000, statusTimeoutMs: 100 });
    const started = Date.now();
    const outcome = await pay(router, 1000);
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['r', 'b'] });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(a!.calledFor('authorize')[0]!.budgetMs).toBeLessThanOrEqual(450);
    expect(b!.calledFor('authorize')[0]!.budgetMs).toBeGreaterThan(300);
  });

  it('does not wait for a child that ignores its deadline: the outcome is unknown and put to status', async () => {
    const [a, b] = leaves(['a', { status: 'unknown' }], ['b']);
    vi.spyOn(a!, 'authorize').mockImplementation(() => new Promise(() => {}));
    const router = priority([a!, b!], { timeoutMs: 60, statusTimeoutMs: 40 });
    const started = Date.now();
    const outcome = await pay(router);
    expect(Date.now() - started).toBeLessThan(60 + ANSWER_GRACE_MS + 40 + 200);
    expect(outcome).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false, path: ['r', 'a'] });
    expect(b!.calls).toEqual([]);
  });

  it('treats a child that throws as an unknown outcome, then fails over once status proves nothing was charged', async () => {
    const [a, b] = leaves(['a', { status: 'not_found' }], ['b']);
    vi.spyOn(a!, 'authorize').mockRejectedValue(new Error('socket hang up'));
    const outcome = await pay(priority([a!, b!]));
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['r', 'b'] });
    expect(outcome.attempts[0]).toMatchObject({ outcome: 'failed', code: 'provider_timeout', reason: 'priority 1/2 → a (status inquiry: not found, nothing charged)' });
  });

  it('fails over when the status inquiry finds the attempt failed without a charge', async () => {
    const [a, b] = leaves(['a', { behaviour: 'timeout', status: 'failed' }], ['b']);
    const outcome = await pay(priority([a!, b!], { timeoutMs: 40, statusTimeoutMs: 40 }));
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['r', 'b'] });
  });
});
