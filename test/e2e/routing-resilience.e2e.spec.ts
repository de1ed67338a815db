import { beforeAll, describe, expect, it, vi } from 'vitest';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, paymentBody, deleteFault, putFault } from '../support/gateway-harness.js';
import { testTreeConfig } from '../support/test-tree.js';

// Long, so a breaker stays open through a test however slow the machine; recover() moves the clock.
const HALF_OPEN_MS = 60_000;
const breaker = { failure_threshold: 2, half_open_after_ms: HALF_OPEN_MS };

/** The default test tree, with short breakers on `us`, plus a lowest-cost router for CHF. */
function resilienceTree(): unknown {
  const tree = testTreeConfig() as { root: { rules: unknown[]; children: Record<string, unknown>[] } };
  tree.root.rules.unshift({ when: { brand: ['amex'] }, to: 'global' });
  tree.root.rules.push({ when: { currency: ['CHF'] }, to: 'cheap' });
  const us = tree.root.children.find((child) => child.id === 'us')!;
  us.breaker = breaker;
  const leaf = (id: string, feeBps: number) => ({ id, type: 'simulator', options: { currencies: ['CHF'], fee_bps: feeBps } });
  tree.root.children.push({
    id: 'cheap',
    type: 'router',
    strategy: 'lowest-cost',
    timeout_ms: 400,
    status_timeout_ms: 200,
    quote_timeout_ms: 200,
    breaker,
    children: [leaf('sim-dear', 300), leaf('sim-cheap', 100), leaf('sim-mid', 200)],
  });
  return tree;
}

interface TreeNode {
  id: string;
  breaker: { state: string; consecutive_failures: number; failures: number; failure_threshold: number; opened: number } | null;
  children: TreeNode[];
}
const flatten = (node: TreeNode): TreeNode[] => [node, ...node.children.flatMap(flatten)];

describe.each(await testBackends())('routing intelligence and resilience on $name', (backend) => {
  const started = gatewayForSuite(backend, { tree: resilienceTree() });
  let gateway: Gateway;
  let merchant: MerchantSession;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
  });

  const setFault = (node: string, fault: object) => putFault(gateway, node, fault);
  const clearFault = (node: string) => deleteFault(gateway, node);
  const treeNodes = async () => flatten((await gateway.http.get('/v1/ops/tree').set(admin).expect(200)).body);
  const breakerOf = async (id: string) => (await treeNodes()).find((node) => node.id === id)!.breaker;
  const preview = (body: object) => gateway.http.post('/v1/routing/preview').set('authorization', `Bearer ${merchant.apiKey}`).send(body);
  const spyAuthorize = (id: string) => vi.spyOn(gateway.tree.nodes.get(id)!, 'authorize');

  /**
   * Once the half-open delay has passed, one payment probes `leaf` and closes its breaker again. The
   * delay passes on the clock the breakers read (Date), moved ahead for that payment; timers stay real.
   */
  async function recover(leaf: string, currency: string) {
    expect((await breakerOf(leaf))?.state).toBe('open');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + HALF_OPEN_MS + 1000 });
    try {
      expect((await breakerOf(leaf))?.state).toBe('half_open');
      const probe = await merchant.pay({ currency }).expect(201);
      expect(probe.body.route.attempts.map((a: { path: string }) => a.path)).toEqual([expect.stringMatching(new RegExp(`/${leaf}$`))]);
    } finally {
      vi.useRealTimers();
    }
    expect((await breakerOf(leaf))?.state).toBe('closed');
  }

  it('shows each child breaker in the ops tree (the root has none)', async () => {
    const nodes = await treeNodes();
    expect(nodes.find((node) => node.id === 'root')!.breaker).toBeNull();
    expect(nodes.find((node) => node.id === 'sim-alpha')!.breaker).toMatchObject({ state: 'closed', consecutive_failures: 0, failure_threshold: 5 });
    expect(nodes.find((node) => node.id === 'sim-gamma')!.breaker).toMatchObject({ state: 'closed', failure_threshold: 2 });
  });

  it.each(['down', 'error'])('stops calling a %s child once its breaker opens, keeps succeeding on the sibling, and returns to it after recovery', async (mode) => {
    const gamma = spyAuthorize('sim-gamma');
    try {
      await setFault('sim-gamma', { mode });
      for (let i = 0; i < 2; i++) {
        const response = await merchant.pay({ currency: 'USD' }).expect(201);
        expect(response.body).toMatchObject({ status: 'captured', route: { path: 'root/us/sim-delta' } });
        expect(response.body.route.attempts).toHaveLength(2);
      }
      expect(gamma).toHaveBeenCalledTimes(2);
      expect(await breakerOf('sim-gamma')).toMatchObject({ state: 'open', consecutive_failures: 2 });

      for (let i = 0; i < 3; i++) {
        const response = await merchant.pay({ currency: 'USD' }).expect(201);
        expect(response.body).toMatchObject({ status: 'captured', route: { path: 'root/us/sim-delta' } });
        expect(response.body.route.attempts).toEqual([expect.objectContaining({ reason: 'rule currency∈[USD] → us; priority 2/2 → sim-delta (after sim-gamma: breaker open)' })]);
      }
      expect(gamma).toHaveBeenCalledTimes(2);

      await clearFault('sim-gamma');
      await recover('sim-gamma', 'USD');
      expect(gamma).toHaveBeenCalledTimes(3);
      expect((await merchant.pay({ currency: 'USD' }).expect(201)).body.route.path).toBe('root/us/sim-gamma');
    } finally {
      gamma.mockRestore();
      await clearFault('sim-gamma');
    }
  });

  it('does not let a slow child push a payment past its deadline', async () => {
    await setFault('sim-gamma', { mode: 'slow', latency_ms: 3000 });
    try {
      for (let i = 0; i < 2; i++) {
        const started = Date.now();
        const response = await merchant.pay({ currency: 'USD' }).expect(201);
        // The request's deadline is 5 s; us gives sim-gamma 400 ms, its status inquiry 200 ms, the root's another 300 ms.
        expect(Date.now() - started).toBeLessThan(5000);
        expect(response.body).toMatchObject({ status: 'pending', route: { path: 'root/us/sim-gamma' } });
        expect(response.body.route.attempts).toHaveLength(1);
        expect(response.body.route.attempts[0]).toMatchObject({ outcome: 'unknown' });
        expect(response.body.route.attempts[0].latency_ms).toBeLessThan(1500); // cut at its budget, not 3000 ms
      }
      const response = await merchant.pay({ currency: 'USD' }).expect(201);
      expect(response.body).toMatchObject({ status: 'captured', route: { path: 'root/us/sim-delta' } });
      expect(response.body.route.attempts).toHaveLength(1);
    } finally {
      await clearFault('sim-gamma');
    }
    await recover('sim-gamma', 'USD');
  });

  it('lowest-cost takes the cheapest healthy child and moves on when it is faulted', async () => {
    const cheap = spyAuthorize('sim-cheap');
    try {
      expect((await merchant.pay({ currency: 'CHF' }).expect(201)).body.route.path).toBe('root/cheap/sim-cheap');

      await setFault('sim-cheap', { mode: 'down' });
      const aroundDown = await merchant.pay({ currency: 'CHF' }).expect(201);
      expect(aroundDown.body.route.attempts.map((a: { path: string }) => a.path)).toEqual(['root/cheap/sim-mid']);
      expect(cheap).toHaveBeenCalledTimes(1);

      await setFault('sim-cheap', { mode: 'error' });
      for (let i = 0; i < 2; i++) {
        const response = await merchant.pay({ currency: 'CHF' }).expect(201);
        expect(response.body.route.attempts.map((a: { path: string; outcome: string }) => [a.path, a.outcome])).toEqual([
          ['root/cheap/sim-cheap', 'failed'],
          ['root/cheap/sim-mid', 'approved'],
        ]);
      }
      const aroundOpen = await merchant.pay({ currency: 'CHF' }).expect(201);
      expect(aroundOpen.body.route.attempts.map((a: { path: string }) => a.path)).toEqual(['root/cheap/sim-mid']);
      expect(cheap).toHaveBeenCalledTimes(3);

      await clearFault('sim-cheap');
      await recover('sim-cheap', 'CHF');
    } finally {
      cheap.mockRestore();
      await clearFault('sim-cheap');
    }
  });

  it('previews the candidates with fees and reasons at every level, as the payment made right after goes', async () => {
    const leaves = [...gateway.tree.nodes.values()].filter((node) => node.describe().kind === 'adapter').map((node) => vi.spyOn(node, 'authorize'));
    const before = (await merchant.get('/v1/payments?limit=100').expect(200)).body.data.length;
    const body = paymentBody();
    const withoutCard = { ...body, payment_method: { type: 'card' } };

    const eu = await preview(withoutCard).expect(200);
    expect(eu.body).toMatchObject({ object: 'routing_preview', amount: 1000, currency: 'EUR', payment_id: null });
    expect(eu.body.candidates).toEqual([
      { path: 'root/eu/sim-alpha', eligible: true, fee: 18, reason: 'rule currency∈[EUR,GBP] → eu; weighted 70/30 → sim-alpha (70% of payments, by payment id)', breaker: 'closed' },
      { path: 'root/eu/sim-beta', eligible: true, fee: 15, reason: 'rule currency∈[EUR,GBP] → eu; weighted 70/30 → sim-beta (30% of payments, by payment id)', breaker: 'closed' },
    ]);
    expect(eu.body.skipped).toEqual([
      { path: 'root/us', reason: 'not chosen by rules' },
      { path: 'root/global', reason: 'not chosen by rules' },
      { path: 'root/cheap', reason: 'cheap does not take EUR' },
    ]);
    expect(leaves.every((spy) => spy.mock.calls.length === 0)).toBe(true);
    expect((await merchant.get('/v1/payments?limit=100').expect(200)).body.data).toHaveLength(before);

    for (const currency of ['EUR', 'USD', 'JPY', 'CHF']) {
      const shown = (await preview({ ...body, currency }).expect(200)).body;
      const payment = (await merchant.pay({ currency }).expect(201)).body;
      const pinned = (await preview({ ...body, currency, payment_id: payment.id }).expect(200)).body;
      expect(pinned.candidates[0]).toMatchObject({ path: payment.route.path, reason: payment.route.attempts[0].reason });
      if (currency === 'EUR') expect(shown.candidates.map((c: { path: string }) => c.path)).toContain(payment.route.path);
      else expect(shown.candidates[0]).toMatchObject({ path: payment.route.path, reason: payment.route.attempts[0].reason });
    }
    const amex = paymentBody({}, '378282246310005');
    const byBrand = (await preview(amex).expect(200)).body;
    expect(byBrand.candidates).toEqual([{ path: 'root/global', eligible: true, fee: 20, reason: 'rule brand∈[amex] → global', breaker: 'closed' }]);
    expect((await merchant.post('/v1/payments', amex).expect(201)).body.route.path).toBe('root/global');
    expect(JSON.stringify(byBrand)).not.toContain('378282246310005');

    const chf = (await preview({ ...body, currency: 'CHF' }).expect(200)).body;
    expect(chf.candidates.map((c: { path: string; fee: number }) => [c.path, c.fee])).toEqual([
      ['root/cheap/sim-cheap', 10],
      ['root/cheap/sim-mid', 20],
      ['root/cheap/sim-dear', 30],
    ]);
    leaves.forEach((spy) => spy.mockRestore());
  });

  it('previews with a merchant key only, validates the body, and keeps other merchants\' payments out', async () => {
    await gateway.http.post('/v1/routing/preview').send(paymentBody()).expect(401);
    await gateway.http.post('/v1/routing/preview').set(admin).send(paymentBody()).expect(401);
    const bad = await preview({ ...paymentBody(), currency: 'EURO' }).expect(400);
    expect(bad.body.error).toMatchObject({ type: 'invalid_request_error', param: 'currency' });
    const other = await MerchantSession.create(gateway, 'Other');
    const theirs = (await other.pay().expect(201)).body.id;
    await preview({ ...paymentBody(), payment_id: theirs }).expect(404);
    const unsupported = (await preview({ ...paymentBody(), currency: 'SEK' }).expect(200)).body;
    expect(unsupported.candidates).toEqual([]);
    expect(unsupported.skipped).toContainEqual({ path: 'root', reason: 'router root: default → global skipped: global does not take SEK' });
    expect(JSON.stringify(unsupported)).not.toContain('4242424242424242');
  });

  it('is ready while every currency has a healthy route, and names the currencies that have none', async () => {
    const ready = await gateway.http.get('/health/ready').expect(200);
    expect(ready.body.checks.currencies).toEqual({ EUR: 'up', GBP: 'up', USD: 'up', JPY: 'up', CHF: 'up' });
    await setFault('sim-gamma', { mode: 'down' });
    await setFault('sim-delta', { mode: 'down' });
    try {
      const down = await gateway.http.get('/health/ready').expect(503);
      expect(down.body).toMatchObject({ status: 'unavailable', checks: { database: 'up', tree: 'degraded', currencies: { USD: 'down', EUR: 'up' } }, unroutable_currencies: ['USD'] });
    } finally {
      await clearFault('sim-gamma');
      await clearFault('sim-delta');
    }
    await gateway.http.get('/health/ready').expect(200);
  });
});
