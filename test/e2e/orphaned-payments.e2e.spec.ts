import { Logger } from '@nestjs/common';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatewayNode } from '#gateway-spi';
import { SQL, type SqlClient } from '#persistence';
import { GATEWAY_CONFIG } from '../../apps/gateway/src/common/tokens.js';
import type { GatewayConfig } from '../../apps/gateway/src/config/gateway-config.js';
import { orphanAfterMs } from '../../apps/gateway/src/payments/index.js';
import { ReconcilePending, type ReconciliationReport } from '../../apps/gateway/src/reconciliation/index.js';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, paymentBody, deleteFault, putFault } from '../support/gateway-harness.js';

// A gateway process that stops between a payment's two commits (after the claim, before or after
// the provider call) leaves the payment pending without a route and its key in flight. Nothing
// else would ever settle it: reconciliation adopts it once it is long past its request's deadline.

describe.each(await testBackends())('payments orphaned by a stopped request on $name', (backend) => {
  const started = gatewayForSuite(backend);
  let gateway: Gateway;
  let merchant: MerchantSession;

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  const leaves = () => [...gateway.tree.nodes.values()].filter((node) => node.describe().kind === 'adapter');
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  /** A reconciler run as if the clock were past the orphan's grace period. */
  const reconcileLater = () => {
    const config = gateway.app.get<GatewayConfig>(GATEWAY_CONFIG);
    return gateway.app.get(ReconcilePending).run({ force: false }, new Date(Date.now() + orphanAfterMs(config) + 1_000));
  };
  /** The process "stops" right after the provider answered: the statement recording it never runs. */
  const stopBeforeRecording = () => {
    const sql = gateway.app.get<SqlClient>(SQL);
    const query = sql.query.bind(sql);
    return vi.spyOn(sql, 'query').mockImplementation((statement) =>
      /^\s*WITH settled_payment/.test(statement.text) ? Promise.reject(new Error('connection lost: process stopped')) : query(statement),
    );
  };

  async function orphan(body: object, key: string): Promise<string> {
    await merchant.post('/v1/payments', body, key).expect(500);
    const [payment] = (await merchant.get('/v1/payments?limit=1').expect(200)).body.data;
    expect(payment).toMatchObject({ status: 'pending', route: { path: null, attempts: [] } });
    await merchant.post('/v1/payments', body, key).expect(409);
    return payment.id as string;
  }

  it('settles a payment its leaf charged before the process stopped, once, and the key replays it', async () => {
    const body = paymentBody({ currency: 'USD' });
    const key = merchant.newKey();
    const charges = leaves().map((leaf) => vi.spyOn(leaf as GatewayNode, 'authorize'));
    stopBeforeRecording();
    const id = await orphan(body, key);
    vi.mocked(gateway.app.get<SqlClient>(SQL).query).mockRestore();

    // A manual run does not hurry an orphan: its request might still be running.
    const now = (await gateway.http.post('/v1/ops/reconcile').set(admin).expect(200)).body;
    expect(now.settled.filter((row: { payment_id: string }) => row.payment_id === id)).toEqual([]);
    expect((await merchant.get(`/v1/payments/${id}`).expect(200)).body.status).toBe('pending');

    expect(settledBy(await reconcileLater(), id)).toEqual([{ paymentId: id, from: 'pending', to: 'captured' }]);
    expect(settledBy(await reconcileLater(), id)).toEqual([]);

    const payment = (await merchant.get(`/v1/payments/${id}`).expect(200)).body;
    expect(payment).toMatchObject({ status: 'captured', amount_captured: 1000, route: { path: 'root/us/sim-gamma' } });
    expect(payment.route.attempts).toEqual([expect.objectContaining({ id: expect.stringMatching(/_1$/), outcome: 'approved', path: 'root/us/sim-gamma' })]);
    const events = (await merchant.get(`/v1/payments/${id}/events`).expect(200)).body.data.map((event: { type: string }) => event.type);
    expect(events).toEqual(['payment.created', 'payment.authorized', 'payment.captured', 'payment.pending_resolved']);

    const replay = await merchant.post('/v1/payments', body, key).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toMatchObject({ id, status: 'captured', route: { path: 'root/us/sim-gamma' } });
    expect(charges.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBe(1);
  });

  it('fails a payment that never reached a provider; the key replays the failure', async () => {
    const body = paymentBody({ currency: 'USD' });
    const key = merchant.newKey();
    const charges = leaves().map((leaf) => vi.spyOn(leaf as GatewayNode, 'authorize'));
    vi.spyOn(gateway.tree.root, 'authorize').mockRejectedValueOnce(new Error('process stopped before routing'));
    const id = await orphan(body, key);

    expect(settledBy(await reconcileLater(), id)).toEqual([{ paymentId: id, from: 'pending', to: 'failed' }]);
    const replay = await merchant.post('/v1/payments', body, key).expect(201);
    expect(replay.body).toMatchObject({ id, status: 'failed', amount_captured: 0, route: { path: null, attempts: [] } });
    expect(charges.reduce((sum, spy) => sum + spy.mock.calls.length, 0)).toBe(0);
  });

  it('finds the approved attempt after a failover, past the attempt its failed leaf never recorded', async () => {
    await putFault(gateway, 'sim-gamma', { mode: 'error' });
    let id: string;
    try {
      stopBeforeRecording();
      id = await orphan(paymentBody({ currency: 'USD' }), merchant.newKey());
    } finally {
      vi.restoreAllMocks();
      await deleteFault(gateway, 'sim-gamma');
    }

    expect(settledBy(await reconcileLater(), id)).toEqual([{ paymentId: id, from: 'pending', to: 'captured' }]);
    const payment = (await merchant.get(`/v1/payments/${id}`).expect(200)).body;
    expect(payment.route.path).toMatch(/^root\/us\/(?!sim-gamma)/);
    expect(payment.route.attempts).toEqual([expect.objectContaining({ id: expect.stringMatching(/_2$/), outcome: 'approved', path: payment.route.path })]);
  });

  it('keeps an orphan pending while a leaf cannot answer, and settles it once the leaf is back', async () => {
    const body = paymentBody({ currency: 'USD' });
    stopBeforeRecording();
    const id = await orphan(body, merchant.newKey());
    vi.mocked(gateway.app.get<SqlClient>(SQL).query).mockRestore();

    await putFault(gateway, 'sim-delta', { mode: 'down' });
    try {
      expect(settledBy(await reconcileLater(), id)).toEqual([]);
      expect((await merchant.get(`/v1/payments/${id}`).expect(200)).body.status).toBe('pending');
    } finally {
      await deleteFault(gateway, 'sim-delta');
    }
    // Released on the backoff schedule: the next check is due a little later.
    const config = gateway.app.get<GatewayConfig>(GATEWAY_CONFIG);
    const later = new Date(Date.now() + orphanAfterMs(config) + 3_600_000);
    const report = await gateway.app.get(ReconcilePending).run({ force: false }, later);
    expect(settledBy(report, id)).toEqual([{ paymentId: id, from: 'pending', to: 'captured' }]);
  });
});

function settledBy(report: ReconciliationReport, id: string) {
  return report.settled.filter((row) => row.paymentId === id);
}
