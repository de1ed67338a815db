import { silentLogger, type GatewayNode, type NodeContext, type ProviderNotification } from '#gateway-spi';
import { describe, expect, it, vi } from 'vitest';
import { locateAttempts } from './locate-attempts.js';
import { RouterNode } from './router.node.js';
import { PriorityStrategy } from './strategies/priority.strategy.js';
import { cardRequest, challengeOf, FAKE_NOTIFICATION_REPLY, FakeLeaf, testContext, type FakeLeafSettings } from '../test-support/fake-leaf.js';

const leaves = (...specs: [string, FakeLeafSettings?][]) => specs.map(([id, settings]) => new FakeLeaf(id, settings));
const priority = (id: string, children: GatewayNode[], extra: Partial<ConstructorParameters<typeof RouterNode>[0]> = {}) =>
  new RouterNode({ id, strategy: new PriorityStrategy(), children, ...extra });

function watchedContext(): NodeContext & { warn: ReturnType<typeof vi.fn> } {
  const warn = vi.fn();
  return { ...testContext(), logger: { ...silentLogger, warn }, warn };
}

/** root → eu → (alpha, beta), root → us. */
function nested() {
  const [alpha, beta, us] = leaves(['alpha'], ['beta'], ['us']);
  const eu = priority('eu', [alpha!, beta!]);
  const root = priority('root', [eu, us!]);
  return { root, eu, alpha: alpha!, beta: beta!, us: us! };
}

const notification = (nodeId: string, body = '{"event":"x"}'): ProviderNotification => ({ nodeId, body, headers: { 'content-type': 'application/json' } });

describe('router: completing a shopper action', () => {
  it('forwards completeAction down the recorded path, with the return data, and answers the leaf\'s status', async () => {
    const { root, alpha, beta, us } = nested();
    const address = { path: ['root', 'eu', 'beta'], attemptId: 'att_abc_1', providerReference: 'ref_beta_att_abc_1' };
    const status = await root.completeAction({ ...address, returnData: { redirectResult: 'xyz' } }, testContext());
    expect(status).toMatchObject({ state: 'approved', providerReference: 'ref_beta_att_abc_1', amountAuthorized: 1000 });
    expect(beta.calledFor('completeAction')).toEqual([expect.objectContaining({ path: ['beta'], attemptId: 'att_abc_1', returnData: { redirectResult: 'xyz' } })]);
    expect([...alpha.calls, ...us.calls, ...beta.calledFor('status')]).toEqual([]);
  });

  it('gives the child the same budget as a status inquiry', async () => {
    const [a] = leaves(['a']);
    await priority('r', [a!], { timeoutMs: 120 }).completeAction({ path: ['r', 'a'], attemptId: 'att_abc_1', providerReference: null, returnData: {} }, testContext(5000));
    expect(a!.calledFor('completeAction')[0]!.budgetMs).toBeLessThanOrEqual(120);
  });

  it.each([
    [['elsewhere', 'eu', 'alpha'], 'does not start at router root'],
    [['root', 'asia', 'x'], 'has no child asia'],
    [['root'], 'ends at router root'],
  ])('answers unknown (never not_found) for the bad path %j, with a warning', async (path, problem) => {
    const { root, alpha, beta, us } = nested();
    const ctx = watchedContext();
    const status = await root.completeAction({ path, attemptId: 'att_abc_1', providerReference: null, returnData: {} }, ctx);
    expect(status).toEqual({ state: 'unknown', code: 'processing_error', providerReference: null, amountAuthorized: 0, amountCaptured: 0, amountRefunded: 0, voided: false });
    expect(ctx.warn).toHaveBeenCalledWith('action completion with a bad path', { router: 'root', problem: expect.stringContaining(problem) });
    expect([...alpha.calls, ...beta.calls, ...us.calls]).toEqual([]);
  });
});

describe('router: requires_action is bound to its leaf', () => {
  it('is final: no failover, no status inquiry, the next action comes back through every level', async () => {
    const [a, b, spare] = leaves(['a', { behaviour: 'requires_action' }], ['b'], ['spare']);
    const top = priority('top', [priority('r', [a!, b!]), spare!]);
    const request = cardRequest({ returnUrl: 'https://root.test/return/pay_abc' });
    const outcome = await top.authorize(request, testContext());
    expect(outcome).toMatchObject({
      outcome: 'requires_action',
      code: null,
      retryable: false,
      amountCaptured: 0,
      providerReference: 'ref_a_att_abc_1',
      path: ['top', 'r', 'a'],
      nextAction: challengeOf('att_abc_1'),
    });
    expect(outcome.attempts).toEqual([expect.objectContaining({ attemptId: 'att_abc_1', outcome: 'requires_action', path: ['top', 'r', 'a'], reason: 'priority 1/2 → r; priority 1/2 → a' })]);
    expect(a!.calledFor('status')).toEqual([]);
    expect([...b!.calls, ...spare!.calls]).toEqual([]);
  });

  it('counts as a healthy answer for the child\'s breaker', async () => {
    const [a, b] = leaves(['a', { behaviour: 'requires_action' }], ['b']);
    const router = priority('r', [a!, b!], { breaker: { failureThreshold: 1, halfOpenAfterMs: 60_000 } });
    for (let i = 1; i <= 3; i++) {
      expect(await router.authorize(cardRequest({ paymentId: `pay_${i}`, attemptId: `att_${i}_1` }), testContext())).toMatchObject({ outcome: 'requires_action', path: ['r', 'a'] });
    }
    expect(router.childBreakers().a).toMatchObject({ state: 'closed', successes: 3, failures: 0 });
    expect(b!.calls).toEqual([]);
  });

  it('a timeout whose status inquiry finds the provider waiting for the shopper ends requires_action there, with the status\'s next action', async () => {
    const [a, b] = leaves(['a', { behaviour: 'timeout', status: 'requires_action' }], ['b']);
    const outcome = await priority('r', [a!, b!], { timeoutMs: 60, statusTimeoutMs: 60 }).authorize(cardRequest(), testContext());
    expect(outcome).toMatchObject({
      outcome: 'requires_action',
      code: null,
      retryable: false,
      amountCaptured: 0,
      path: ['r', 'a'],
      providerReference: 'ref_a_att_abc_1',
      nextAction: challengeOf('att_abc_1'),
    });
    expect(outcome.attempts).toEqual([expect.objectContaining({ outcome: 'requires_action', code: null, reason: 'priority 1/2 → a (status inquiry: requires action)' })]);
    expect(a!.calledFor('status')).toHaveLength(1);
    expect(b!.calls).toEqual([]);
  });

  it('an orphan search finds an attempt waiting for the shopper, and stops there', async () => {
    const a = new FakeLeaf('a', { status: 'requires_action' });
    const b = new FakeLeaf('b', { status: 'not_found' });
    const search = await locateAttempts(priority('root', [priority('eu', [a, b])]), 'pay_x', testContext());
    expect(search).toMatchObject({ kind: 'found', attempts: [{ seq: 1, attemptId: 'att_x_1', path: ['root', 'eu', 'a'], status: { state: 'requires_action', nextAction: challengeOf('att_x_1') } }] });
    expect(b.calledFor('status').map((call) => call.attemptId)).toEqual(['att_x_1']);
  });
});

describe('router: provider notifications find their node', () => {
  it('reaches a nested leaf and returns its answer; no other node is asked', async () => {
    const { root, alpha, beta, us } = nested();
    const fact = { eventId: 'ev_1', kind: 'captured' as const, attemptId: 'att_abc_1', operationId: 'att_abc_1.capture', providerReference: 'ref', amount: 1000, currency: 'EUR', code: null, message: null };
    beta.settings.notification = { ok: true, facts: [fact], reply: { status: 200, contentType: 'text/plain', body: '[accepted]' } };
    const answer = await root.parseNotification(notification('beta', 'raw body'), testContext());
    expect(answer).toEqual({ ok: true, facts: [fact], reply: { status: 200, contentType: 'text/plain', body: '[accepted]' } });
    expect(beta.calledFor('parseNotification')).toEqual([expect.objectContaining({ body: 'raw body' })]);
    expect([...alpha.calls, ...us.calls]).toEqual([]);
  });

  it('reaches a node behind a child that fronts a subtree living elsewhere (subtreeOps.has)', async () => {
    const front = Object.assign(new FakeLeaf('front'), {
      subtreeOps: { has: (id: string) => id === 'far-leaf', faults: () => ({}), setFault: vi.fn(), clearFault: vi.fn() },
    });
    const forwarded = vi.spyOn(front, 'parseNotification').mockResolvedValue({ ok: true, facts: [], reply: FAKE_NOTIFICATION_REPLY });
    const [a] = leaves(['a']);
    const answer = await priority('root', [a!, priority('mid', [front])]).parseNotification(notification('far-leaf'), testContext());
    expect(answer).toEqual({ ok: true, facts: [], reply: FAKE_NOTIFICATION_REPLY });
    expect(forwarded).toHaveBeenCalledWith(notification('far-leaf'), expect.anything());
  });

  it('asks remote subtrees never described when no child is known to hold the node', async () => {
    const undescribed = (id: string, answer: Awaited<ReturnType<GatewayNode['parseNotification']>>) => {
      const node = Object.assign(new FakeLeaf(id), { describe: () => ({ ...new FakeLeaf(id).describe(), kind: 'remote' as const, type: 'remote', children: [] }) });
      vi.spyOn(node, 'parseNotification').mockResolvedValue(answer);
      return node;
    };
    const knows = undescribed('far1', { ok: true, facts: [], reply: FAKE_NOTIFICATION_REPLY });
    const other = undescribed('far2', { ok: false, reason: 'unknown_node', message: 'not here' });
    expect(await priority('root', [new FakeLeaf('a'), other, knows]).parseNotification(notification('hidden'), testContext())).toEqual({ ok: true, facts: [], reply: FAKE_NOTIFICATION_REPLY });
    const down = undescribed('far3', { ok: false, reason: 'unreachable', message: 'down' });
    expect(await priority('root', [other, down]).parseNotification(notification('hidden'), testContext())).toEqual({ ok: false, reason: 'unreachable', message: 'down' });
    expect(await priority('root', [other]).parseNotification(notification('hidden'), testContext())).toMatchObject({ ok: false, reason: 'unknown_node' });
  });

  it('answers unknown_node for a node not in the tree, and for a router (routers take no notifications)', async () => {
    const { root, alpha, beta, us } = nested();
    expect(await root.parseNotification(notification('ghost'), testContext())).toEqual({ ok: false, reason: 'unknown_node', message: 'no node ghost here (asked root)' });
    expect(await root.parseNotification(notification('root'), testContext())).toMatchObject({ ok: false, reason: 'unknown_node', message: expect.stringContaining('router') });
    expect(await root.parseNotification(notification('eu'), testContext())).toMatchObject({ ok: false, reason: 'unknown_node', message: expect.stringContaining('router') });
    expect([...alpha.calls, ...beta.calls, ...us.calls]).toEqual([]);
  });

  it('answers unreachable when the child throws, or does not answer within its budget', async () => {
    const [a, b] = leaves(['a', { notification: 'throw' }], ['b']);
    const thrown = await priority('r', [a!, b!]).parseNotification(notification('a'), testContext());
    expect(thrown).toMatchObject({ ok: false, reason: 'unreachable', message: expect.stringContaining('a broke while parsing') });
    vi.spyOn(b!, 'parseNotification').mockImplementation(() => new Promise(() => {}));
    const silent = await priority('r', [a!, b!], { timeoutMs: 30 }).parseNotification(notification('b'), testContext());
    expect(silent).toMatchObject({ ok: false, reason: 'unreachable', message: expect.stringContaining('no answer before the deadline') });
  });

  it('is not gated by the breakers: a child whose breaker is open still gets its provider\'s message', async () => {
    const [a, b] = leaves(['a', { behaviour: 'down' }], ['b']);
    const router = priority('r', [a!, b!], { breaker: { failureThreshold: 1, halfOpenAfterMs: 60_000 } });
    await router.authorize(cardRequest(), testContext());
    expect(router.childBreakers().a!.state).toBe('open');
    expect(await router.parseNotification(notification('a'), testContext())).toMatchObject({ ok: true });
    expect(a!.calledFor('parseNotification')).toHaveLength(1);
  });
});
