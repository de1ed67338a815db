import { fileURLToPath } from 'node:url';
import { attemptIdFor, contextWithTimeout, maskCard, type AuthorizeRequest, type GatewayNode } from '#gateway-spi';
import { buildTree, loadTreeFile, TreeConfigError, type Tree } from '#orchestration';
import { describe, expect, it } from 'vitest';
import { adapterCatalog } from './catalog.js';

const DEFAULT_TREE = fileURLToPath(new URL('../../config/tree.yaml', import.meta.url));

/** The default tree with short router budgets, so timeout cases take milliseconds. */
function defaultTree(): Tree {
  const config = loadTreeFile(DEFAULT_TREE) as { root: { children: Record<string, unknown>[] } & Record<string, unknown> };
  Object.assign(config.root, { timeout_ms: 1500, status_timeout_ms: 300 });
  for (const child of config.root.children) if (child.type === 'router') Object.assign(child, { timeout_ms: 300, status_timeout_ms: 150 });
  return buildTree(config, adapterCatalog);
}

let payments = 0;
function payment(number: string, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const paymentId = `pay_it${++payments}`;
  const card = { number, expMonth: 12, expYear: 2030, cvc: '123' };
  return {
    paymentId,
    attemptId: attemptIdFor(paymentId, 1),
    attemptSeq: 1,
    merchantId: 'mer_1',
    amount: 1000,
    currency: 'USD',
    capture: false,
    paymentMethod: { type: 'card', card, display: maskCard(card) },
    metadata: {},
    ...over,
  };
}

const ctx = () => contextWithTimeout(5000, { traceId: 'it' });
const faults = (tree: Tree, id: string) => tree.nodes.get(id)!.faults!;
const statusAt = (tree: Tree, path: string[], attemptId: string) => tree.root.status({ path, attemptId, providerReference: null }, ctx());

describe('the catalog', () => {
  it('lists the simulator, once, and every type once (a new type is one more entry, nothing here changes)', () => {
    const types = adapterCatalog.map((adapter) => adapter.type);
    expect(types.filter((type) => type === 'simulator')).toHaveLength(1);
    expect(new Set(types).size).toBe(types.length);
  });

  it('builds the default tree; every leaf has a fault control', () => {
    const tree = buildTree(loadTreeFile(DEFAULT_TREE), adapterCatalog);
    const leaves = [...tree.nodes.values()].filter((node: GatewayNode) => node.describe().kind === 'adapter');
    expect(leaves.map((node) => node.id).sort()).toEqual(['global', 'sim-alpha', 'sim-beta', 'sim-delta', 'sim-gamma']);
    expect(leaves.every((node) => node.faults !== undefined)).toBe(true);
    expect(tree.nodes.get('eu')!.faults).toBeUndefined();
    expect(tree.root.describe().capabilities.currencies.sort()).toEqual(['EUR', 'GBP', 'JPY', 'USD']);
  });

  it('reports a bad simulator option with the node and the field', () => {
    const config = { root: { id: 'root', type: 'router', strategy: 'priority', children: [{ id: 'sim-x', type: 'simulator', options: { fee_bps: -3, colour: 'red' } }] } };
    expect(() => buildTree(config, adapterCatalog)).toThrow(TreeConfigError);
    expect(() => buildTree(config, adapterCatalog)).toThrow('tree config: node "sim-x" (root/sim-x): options.fee_bps must be a non-negative integer');
    expect(() => buildTree(config, adapterCatalog)).toThrow(/node "sim-x" \(root\/sim-x\): options.colour is not a simulator option/);
  });
});

describe('the default tree with simulators', () => {
  it('routes EUR through the weighted eu router with both reasons', async () => {
    const outcome = await defaultTree().root.authorize(payment('4242424242424242', { currency: 'EUR' }), ctx());
    expect(outcome.outcome).toBe('approved');
    const leaf = outcome.path[2]!;
    expect(outcome.path).toEqual(['root', 'eu', leaf]);
    expect(outcome.attempts[0]!.reason).toBe(`rule currency∈[EUR,GBP] → eu; weighted 70/30 → ${leaf}`);
  });

  it('routes JPY to the default leaf', async () => {
    const outcome = await defaultTree().root.authorize(payment('4242424242424242', { currency: 'JPY' }), ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['root', 'global'] });
    expect(outcome.attempts[0]!.reason).toBe('default → global');
  });

  it('fails over from a down leaf to its sibling, returning both attempts', async () => {
    const tree = defaultTree();
    faults(tree, 'sim-gamma').setFault({ mode: 'down' });
    const request = payment('4242424242424242');
    const outcome = await tree.root.authorize(request, ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', path: ['root', 'us', 'sim-delta'] });
    expect(outcome.attempts.map((a) => [a.attemptId, a.path.join('/'), a.outcome, a.code, a.reason])).toEqual([
      [attemptIdFor(request.paymentId, 1), 'root/us/sim-gamma', 'failed', 'provider_unavailable', 'rule currency∈[USD] → us; priority 1/2 → sim-gamma'],
      [attemptIdFor(request.paymentId, 2), 'root/us/sim-delta', 'approved', null, 'rule currency∈[USD] → us; priority 2/2 → sim-delta (after sim-gamma: provider_unavailable)'],
    ]);
  });

  it('does not fail over a hard decline', async () => {
    const tree = defaultTree();
    const request = payment('4000000000009995');
    const outcome = await tree.root.authorize(request, ctx());
    expect(outcome).toMatchObject({ outcome: 'declined', code: 'insufficient_funds', path: ['root', 'us', 'sim-gamma'] });
    expect(outcome.attempts).toHaveLength(1);
    expect((await statusAt(tree, ['root', 'us', 'sim-delta'], attemptIdFor(request.paymentId, 2))).state).toBe('not_found');
  });

  it('fails over the retryable processing_error card', async () => {
    const outcome = await defaultTree().root.authorize(payment('4000000000000119'), ctx());
    expect(outcome.attempts.map((a) => a.code)).toEqual(['processing_error', 'processing_error']);
    expect(outcome).toMatchObject({ outcome: 'failed', retryable: true, path: ['root', 'us', 'sim-delta'] });
  });

  it('the timeout card ends approved after one charge at one leaf, resolved by status inquiry', async () => {
    const tree = defaultTree();
    const request = payment('4000000000000101', { capture: true });
    const outcome = await tree.root.authorize(request, ctx());
    expect(outcome).toMatchObject({ outcome: 'approved', code: null, path: ['root', 'us', 'sim-gamma'], amountCaptured: 1000 });
    expect(outcome.attempts).toEqual([expect.objectContaining({ outcome: 'approved', reason: 'rule currency∈[USD] → us; priority 1/2 → sim-gamma (resolved by status inquiry)' })]);
    expect((await statusAt(tree, ['root', 'us', 'sim-delta'], attemptIdFor(request.paymentId, 2))).state).toBe('not_found');
    expect(await statusAt(tree, outcome.path, request.attemptId)).toMatchObject({ state: 'approved', amountCaptured: 1000 });
  });

  it('a timeout-faulted leaf ends unknown, without failover; status settles it later', async () => {
    const tree = defaultTree();
    faults(tree, 'sim-gamma').setFault({ mode: 'timeout' });
    const request = payment('4242424242424242');
    const started = Date.now();
    const outcome = await tree.root.authorize(request, ctx());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(outcome).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false, path: ['root', 'us', 'sim-gamma'] });
    expect(outcome.attempts).toHaveLength(1);
    expect((await statusAt(tree, ['root', 'us', 'sim-delta'], attemptIdFor(request.paymentId, 2))).state).toBe('not_found');
    faults(tree, 'sim-gamma').clearFault();
    expect((await statusAt(tree, outcome.path, request.attemptId)).state).toBe('approved');
  });

  it('a slow leaf answers within its budget', async () => {
    const tree = defaultTree();
    faults(tree, 'sim-gamma').setFault({ mode: 'slow', latencyMs: 50 });
    expect(await tree.root.authorize(payment('4242424242424242'), ctx())).toMatchObject({ outcome: 'approved', path: ['root', 'us', 'sim-gamma'] });
  });

  it('a slow leaf past its budget ends unknown (its status is slow too); it had charged nothing', async () => {
    const tree = defaultTree();
    faults(tree, 'sim-gamma').setFault({ mode: 'slow', latencyMs: 10_000 });
    const request = payment('4242424242424242');
    const outcome = await tree.root.authorize(request, ctx());
    expect(outcome).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', path: ['root', 'us', 'sim-gamma'] });
    expect(outcome.attempts).toHaveLength(1);
    faults(tree, 'sim-gamma').clearFault();
    expect((await statusAt(tree, outcome.path, request.attemptId)).state).toBe('not_found');
  });

  it('follow-ups go down the recorded path', async () => {
    const tree = defaultTree();
    faults(tree, 'sim-gamma').setFault({ mode: 'down' });
    const request = payment('4242424242424242');
    const outcome = await tree.root.authorize(request, ctx());
    faults(tree, 'sim-gamma').clearFault();
    const attemptId = outcome.attempts.at(-1)!.attemptId;
    const address = { path: outcome.path, attemptId, providerReference: outcome.providerReference };
    expect(await tree.root.capture({ ...address, operationId: 'cap_1', amount: 700, currency: 'USD' }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await tree.root.refund({ ...address, operationId: 're_1', amount: 200, currency: 'USD' }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await tree.root.status(address, ctx())).toMatchObject({ state: 'approved', amountAuthorized: 1000, amountCaptured: 700, amountRefunded: 200 });
    // The same attempt id down another path is unknown there: follow-ups are never re-routed.
    expect(await tree.root.capture({ ...address, path: ['root', 'us', 'sim-gamma'], operationId: 'cap_2', amount: 1, currency: 'USD' }, ctx())).toMatchObject({ outcome: 'failed' });
  });

  it('quotes and reports health through the tree', async () => {
    const tree = defaultTree();
    expect(await tree.root.quote({ amount: 1000, currency: 'USD', method: 'card', paymentId: 'pay_q' }, ctx())).toEqual({
      eligible: true,
      fee: 20,
      path: ['root', 'us', 'sim-gamma'],
      reason: 'rule currency∈[USD] → us; priority 1/2 → sim-gamma; fee 20 (200 bps + 0)',
    });
    faults(tree, 'sim-gamma').setFault({ mode: 'down' });
    const health = await tree.root.health(ctx());
    expect(health).toMatchObject({ id: 'root', status: 'degraded', children: [{ id: 'eu', status: 'up' }, { id: 'us', status: 'degraded' }, { id: 'global', status: 'up' }] });
  });
});
