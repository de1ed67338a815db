import { Logger } from '@nestjs/common';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, deleteFault, putFault } from '../support/gateway-harness.js';

// A capture or void whose provider never answered may or may not have been applied. The payment
// keeps the operation marked (nothing else may start on it), a retry of the same operation may
// re-drive it (same provider idempotency key), and reconciliation asks the holding leaf.

describe.each(await testBackends())('unanswered captures and voids on $name', (backend) => {
  const started = gatewayForSuite(backend, { config: { requestTimeoutMs: 600 } });
  let gateway: Gateway;
  let merchant: MerchantSession;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
  });
  afterEach(() => vi.restoreAllMocks());

  const setFault = (fault: object) => putFault(gateway, 'sim-gamma', fault);
  const clearFault = () => deleteFault(gateway, 'sim-gamma');
  const reconcile = async () => (await gateway.http.post('/v1/ops/reconcile').set(admin).expect(200)).body;
  const settledFor = (report: { settled: { payment_id: string }[] }, id: string) => report.settled.filter((row) => row.payment_id === id);
  const unresolvedGauge = async () => {
    const text = (await gateway.http.get('/metrics').set(admin).expect(200)).text;
    return Number(/^canopy_payments_unresolved_operations (\d+)$/m.exec(text)?.[1]);
  };
  const eventTypes = async (id: string) => ((await merchant.get(`/v1/payments/${id}/events`).expect(200)).body.data as { type: string }[]).map((e) => e.type);

  async function authorized(): Promise<string> {
    const payment = (await merchant.pay({ currency: 'USD', capture: false }).expect(201)).body;
    expect(payment).toMatchObject({ status: 'authorized', route: { path: 'root/us/sim-gamma' } });
    return payment.id;
  }

  /** The operation is sent with the leaf's replies lost (fault `timeout`): applied, unanswered. */
  async function unanswered(path: string, fault: object = { mode: 'timeout' }, key = merchant.newKey()): Promise<void> {
    await setFault(fault);
    try {
      const response = await merchant.post(path, {}, key).expect(504);
      expect(response.body.error).toMatchObject({ type: 'api_error', message: expect.stringContaining('reconciliation settles it') });
    } finally {
      await clearFault();
    }
  }

  it('settles a capture the provider applied without answering, once, and blocks other operations meanwhile', async () => {
    const id = await authorized();
    await unanswered(`/v1/payments/${id}/capture`);
    expect((await merchant.get(`/v1/payments/${id}`).expect(200)).body.status).toBe('authorized');
    const refused = await merchant.post(`/v1/payments/${id}/void`).expect(409);
    expect(refused.body.error.code).toBe('operation_in_flight');
    expect(await unresolvedGauge()).toBe(1);

    expect(settledFor(await reconcile(), id)).toEqual([{ payment_id: id, from: 'authorized', to: 'captured' }]);
    expect(await unresolvedGauge()).toBe(0);
    expect(settledFor(await reconcile(), id)).toEqual([]);
    expect((await merchant.get(`/v1/payments/${id}`).expect(200)).body).toMatchObject({ status: 'captured', amount_captured: 1000 });
    expect(await eventTypes(id)).toEqual(['payment.created', 'payment.authorized', 'payment.captured']);
  });

  it('settles a void the provider applied without answering', async () => {
    const id = await authorized();
    await unanswered(`/v1/payments/${id}/void`);
    expect(settledFor(await reconcile(), id)).toEqual([{ payment_id: id, from: 'authorized', to: 'voided' }]);
    expect((await merchant.get(`/v1/payments/${id}`).expect(200)).body.status).toBe('voided');
  });

  it('lets the merchant retry the same capture: re-driven once at the provider, nothing left to reconcile', async () => {
    const id = await authorized();
    const key = merchant.newKey();
    await unanswered(`/v1/payments/${id}/capture`, { mode: 'timeout' }, key);
    const capture = vi.spyOn(gateway.tree.nodes.get('sim-gamma')!, 'capture');
    const retried = await merchant.post(`/v1/payments/${id}/capture`, {}, key).expect(200);
    expect(retried.body).toMatchObject({ status: 'captured', amount_captured: 1000 });
    expect(capture).toHaveBeenCalledTimes(1);
    expect(settledFor(await reconcile(), id)).toEqual([]);
    expect(await eventTypes(id)).toEqual(['payment.created', 'payment.authorized', 'payment.captured']);
  });

  it('clears a capture the provider never applied: the payment stays authorized and can be captured', async () => {
    const id = await authorized();
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    // The leaf is slower than the request's deadline: the call is cut off before the provider acts.
    await unanswered(`/v1/payments/${id}/capture`, { mode: 'slow', latency_ms: 2_000 });
    expect(settledFor(await reconcile(), id)).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`payment ${id} was not applied`));
    expect((await merchant.get(`/v1/payments/${id}`).expect(200)).body.status).toBe('authorized');
    await merchant.post(`/v1/payments/${id}/capture`).expect(200);
  });
});
