import { Logger } from '@nestjs/common';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createGatewayApp } from '../../apps/gateway/src/create-gateway-app.js';
import { GATEWAY_CONFIG } from '../../apps/gateway/src/common/tokens.js';
import type { GatewayConfig } from '../../apps/gateway/src/config/gateway-config.js';
import request from 'supertest';
import { type TestBackend, testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, deleteFault, putFault } from '../support/gateway-harness.js';
import { testTreeConfig } from '../support/test-tree.js';

/** The default test tree; its breakers never open here, so every USD payment reaches sim-gamma first. */
function patientTree(): unknown {
  const tree = testTreeConfig() as { root: Record<string, unknown> & { children: Record<string, unknown>[] } };
  tree.root.breaker = { failure_threshold: 100 };
  for (const child of tree.root.children) if (child.type === 'router') child.breaker = { failure_threshold: 100 };
  return tree;
}

interface Settled {
  payment_id: string;
  from: string;
  to: string;
}

/** A second gateway process on the same database and the same providers (the same in-memory tree). */
async function twin(gateway: Gateway): Promise<Gateway> {
  const config = gateway.app.get<GatewayConfig>(GATEWAY_CONFIG);
  const app = await createGatewayApp({ config, tree: gateway.tree, logger: ['error'] });
  return { app, tree: gateway.tree, http: request(app.getHttpServer()), close: () => app.close() };
}

describe.each(await testBackends())('reconciliation of pending payments on $name', (backend: TestBackend) => {
  const started = gatewayForSuite(backend, { tree: patientTree() });
  let gateway: Gateway;
  let merchant: MerchantSession;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
  });

  const setFault = (node: string, fault: object) => putFault(gateway, node, fault);
  const clearFault = (node: string) => deleteFault(gateway, node);
  const reconcile = async (on: Gateway = gateway) => (await on.http.post('/v1/ops/reconcile').set(admin).expect(200)).body;
  const eventTypes = async (id: string) => ((await merchant.get(`/v1/payments/${id}/events`).expect(200)).body.data as { type: string }[]).map((e) => e.type);

  /** A payment its leaf charged without the reply arriving (fault `timeout` on sim-gamma): left pending. */
  async function pendingPayment(overrides: Record<string, unknown> = {}): Promise<string> {
    const response = await merchant.pay({ currency: 'USD', ...overrides }).expect(201);
    expect(response.body).toMatchObject({ status: 'pending', route: { path: 'root/us/sim-gamma' } });
    return response.body.id;
  }

  it('is admin only', async () => {
    await gateway.http.post('/v1/ops/reconcile').expect(401);
    await gateway.http.post('/v1/ops/reconcile').set('authorization', `Bearer ${merchant.apiKey}`).expect(401);
  });

  it('settles the timeout case once the leaf answers: captured or authorized per the capture flag, one event each', async () => {
    await setFault('sim-gamma', { mode: 'timeout' });
    let captured: string;
    let authorized: string;
    try {
      [captured, authorized] = await Promise.all([pendingPayment(), pendingPayment({ capture: false })]);
    } finally {
      await clearFault('sim-gamma');
    }
    const report = await reconcile();
    expect(report).toMatchObject({ object: 'reconciliation', still_pending: 0 });
    expect(report.settled).toEqual(
      expect.arrayContaining([
        { payment_id: captured, from: 'pending', to: 'captured' },
        { payment_id: authorized, from: 'pending', to: 'authorized' },
      ]),
    );
    expect((await merchant.get(`/v1/payments/${captured}`).expect(200)).body).toMatchObject({ status: 'captured', amount_captured: 1000, failure_message: null });
    const held = (await merchant.get(`/v1/payments/${authorized}`).expect(200)).body;
    expect(held).toMatchObject({ status: 'authorized', amount_captured: 0 });
    expect(held.route.attempts[0]).toMatchObject({ outcome: 'approved', reason: expect.stringContaining('settled by reconciliation') });
    expect(await eventTypes(captured)).toEqual(['payment.created', 'payment.authorized', 'payment.captured', 'payment.pending_resolved']);
    expect(await eventTypes(authorized)).toEqual(['payment.created', 'payment.authorized', 'payment.pending_resolved']);

    const again = await reconcile();
    expect(again.settled.map((s: Settled) => s.payment_id)).not.toContain(captured);
    expect(await eventTypes(captured)).toHaveLength(4);
    await merchant.post(`/v1/payments/${authorized}/capture`).expect(200);
  });

  it('settles the down-after-charge case: pending while the leaf is down, captured once it is back', async () => {
    await setFault('sim-gamma', { mode: 'timeout' });
    const id = await pendingPayment();
    await setFault('sim-gamma', { mode: 'down' });
    try {
      const whileDown = await reconcile();
      expect(whileDown.settled.map((s: Settled) => s.payment_id)).not.toContain(id);
      expect(whileDown.still_pending).toBe(1);
      expect((await merchant.get(`/v1/payments/${id}`).expect(200)).body.status).toBe('pending');
    } finally {
      await clearFault('sim-gamma');
    }
    expect((await reconcile()).settled).toContainEqual({ payment_id: id, from: 'pending', to: 'captured' });
    expect(await eventTypes(id)).toEqual(['payment.created', 'payment.authorized', 'payment.captured', 'payment.pending_resolved']);
  });

  it('keeps a payment pending when its status inquiry throws, and settles it on a later run', async () => {
    await setFault('sim-gamma', { mode: 'timeout' });
    let id: string;
    try {
      id = await pendingPayment();
    } finally {
      await clearFault('sim-gamma');
    }
    const status = vi.spyOn(gateway.tree.root, 'status').mockRejectedValueOnce(new Error('wire cut'));
    const warned = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    try {
      const report = await reconcile();
      expect(report.settled.map((s: Settled) => s.payment_id)).not.toContain(id);
      expect(report.still_pending).toBe(1);
      expect(warned).toHaveBeenCalledWith(`reconciliation of ${id} failed: wire cut`);
    } finally {
      status.mockRestore();
      warned.mockRestore();
    }
    expect((await reconcile()).settled).toContainEqual({ payment_id: id, from: 'pending', to: 'captured' });
  });

  it('fails a pending payment its leaf never charged (a slow leaf cut off before it acted)', async () => {
    await setFault('sim-gamma', { mode: 'slow', latency_ms: 3000 });
    let id: string;
    try {
      id = await pendingPayment();
    } finally {
      await clearFault('sim-gamma');
    }
    expect((await reconcile()).settled).toContainEqual({ payment_id: id, from: 'pending', to: 'failed' });
    expect((await merchant.get(`/v1/payments/${id}`).expect(200)).body).toMatchObject({ status: 'failed', decline_code: 'provider_timeout' });
    expect(await eventTypes(id)).toEqual(['payment.created', 'payment.failed', 'payment.pending_resolved']);
  });

  it('settles a refund whose reply was lost by re-driving it with the same operation id', async () => {
    const paid = (await merchant.pay({ currency: 'USD' }).expect(201)).body;
    expect(paid.route.path).toBe('root/us/sim-gamma');
    await setFault('sim-gamma', { mode: 'timeout' });
    let refund: { id: string; status: string };
    try {
      refund = (await merchant.post(`/v1/payments/${paid.id}/refunds`, { amount: 400 }).expect(201)).body;
      expect(refund.status).toBe('pending');
    } finally {
      await clearFault('sim-gamma');
    }
    const report = await reconcile();
    expect(report.refunds_settled).toContainEqual({ refund_id: refund.id, payment_id: paid.id, from: 'pending', to: 'succeeded' });
    expect((await merchant.get(`/v1/payments/${paid.id}`).expect(200)).body).toMatchObject({ status: 'partially_refunded', amount_refunded: 400 });
    expect((await reconcile()).refunds_settled).toEqual([]);
    await merchant.post(`/v1/payments/${paid.id}/refunds`, { amount: 601 }).expect(409);
  });

  it('settles each payment exactly once with two reconcilers racing', async () => {
    await setFault('sim-gamma', { mode: 'timeout' });
    const ids: string[] = [];
    try {
      ids.push(...(await Promise.all([1, 2, 3, 4].map(() => pendingPayment()))));
    } finally {
      await clearFault('sim-gamma');
    }
    // PostgreSQL: two gateway processes on one database. PGlite is one process's database: two concurrent runs.
    const other = backend.name === 'postgres' ? await twin(gateway) : gateway;
    try {
      const [one, two] = await Promise.all([reconcile(gateway), reconcile(other)]);
      const settled = [...one.settled, ...two.settled].filter((s: Settled) => ids.includes(s.payment_id));
      expect(settled.map((s: Settled) => s.payment_id).sort()).toEqual([...ids].sort());
      for (const id of ids) {
        expect((await merchant.get(`/v1/payments/${id}`).expect(200)).body.status).toBe('captured');
        expect((await eventTypes(id)).filter((type) => type === 'payment.pending_resolved')).toHaveLength(1);
      }
    } finally {
      if (other !== gateway) await other.close();
    }
  });
});
