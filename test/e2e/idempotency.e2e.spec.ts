import { beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '#persistence';
import { PRISMA } from '#persistence';
import { ExpiredKeys } from '../../apps/gateway/src/idempotency/index.js';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, paymentBody } from '../support/gateway-harness.js';

describe.each(await testBackends())('idempotency on $name', (backend) => {
  const started = gatewayForSuite(backend);
  let gateway: Gateway;
  let merchant: MerchantSession;

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
  });

  it('requires an Idempotency-Key on every POST that moves money', async () => {
    const created = await merchant.pay({ capture: false }).expect(201);
    for (const path of ['/v1/payments', `/v1/payments/${created.body.id}/capture`, `/v1/payments/${created.body.id}/void`, `/v1/payments/${created.body.id}/refunds`]) {
      const response = await merchant.post(path, path === '/v1/payments' ? paymentBody() : {}, null).expect(400);
      expect(response.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_missing' });
    }
    expect((await merchant.get(`/v1/payments/${created.body.id}`)).body.status).toBe('authorized');
  });

  it('purges completed keys past their retention, never one in flight or still retained', async () => {
    const retention = 48 * 60 * 60 * 1000;
    const expired = merchant.newKey();
    const kept = merchant.newKey();
    const first = (await merchant.post('/v1/payments', paymentBody(), expired).expect(201)).body.id;
    await merchant.post('/v1/payments', paymentBody(), kept).expect(201);
    const purge = gateway.app.get(ExpiredKeys);
    const prisma = gateway.app.get<PrismaClient>(PRISMA);
    const stuck = { merchantId: merchant.merchantId, key: merchant.newKey() };
    await prisma.idempotencyRecord.create({ data: { ...stuck, requestHash: 'h', state: 'in_flight', resourceId: 'pay_stuck', expiresAt: new Date(0) } });
    // 47 h later nothing has expired yet.
    expect(await purge.purge(new Date(Date.now() + retention - 3_600_000))).toBe(0);
    await merchant.post('/v1/payments', paymentBody(), expired).expect(201).expect('idempotent-replayed', 'true');

    const later = new Date(Date.now() + retention + 60_000);
    const purged = await purge.purge(later, 1);
    expect(purged).toBe(1);
    expect(await purge.purge(later)).toBeGreaterThanOrEqual(1);
    expect(await purge.purge(later)).toBe(0);
    // Once purged, the key is free: the same request is a new payment.
    const again = await merchant.post('/v1/payments', paymentBody(), expired).expect(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body.id).not.toBe(first);
    expect(await prisma.idempotencyRecord.findUnique({ where: { merchantId_key: stuck } })).toMatchObject({ state: 'in_flight' });
  });

  it('replays the stored response byte for byte, without charging again', async () => {
    const key = merchant.newKey();
    const first = await merchant.post('/v1/payments', paymentBody(), key).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await merchant.post('/v1/payments', paymentBody(), key).expect(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.text).toBe(first.text);
    const list = await merchant.get('/v1/payments?limit=100').expect(200);
    expect(list.body.data.filter((p: { id: string }) => p.id === first.body.id)).toHaveLength(1);
  });

  it('treats the same body with keys in another order as the same request', async () => {
    const key = merchant.newKey();
    const body = paymentBody();
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const first = await merchant.post('/v1/payments', body, key).expect(201);
    const second = await merchant.post('/v1/payments', reordered, key).expect(201);
    expect(second.text).toBe(first.text);
  });

  it('answers 422 when a key is reused with another body or on another endpoint', async () => {
    const key = merchant.newKey();
    await merchant.post('/v1/payments', paymentBody(), key).expect(201);
    const reused = await merchant.post('/v1/payments', paymentBody({ amount: 999 }), key).expect(422);
    expect(reused.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_reused' });
    const created = await merchant.pay({ capture: false }).expect(201);
    await merchant.post(`/v1/payments/${created.body.id}/void`, {}, key).expect(422);
    expect((await merchant.get(`/v1/payments/${created.body.id}`)).body.status).toBe('authorized');
  });

  it('does not store validation failures: the key stays usable', async () => {
    const key = merchant.newKey();
    await merchant.post('/v1/payments', paymentBody({ amount: -1 }), key).expect(400);
    await merchant.post('/v1/payments', paymentBody({}, '4242424242424241'), key).expect(400);
    await merchant.post('/v1/payments', paymentBody(), key).expect(201);
  });

  it('does not store state errors either', async () => {
    const created = await merchant.pay({ capture: false }).expect(201);
    const key = merchant.newKey();
    await merchant.post(`/v1/payments/${created.body.id}/refunds`, {}, key).expect(409);
    await merchant.post(`/v1/payments/${created.body.id}/capture`, {}).expect(200);
    const refund = await merchant.post(`/v1/payments/${created.body.id}/refunds`, {}, key).expect(201);
    expect(refund.body.amount).toBe(1000);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    await gateway.http.put('/v1/ops/nodes/sim-gamma/faults').set(admin).send({ mode: 'slow', latency_ms: 300 }).expect(200);
    try {
      const key = merchant.newKey();
      const first = merchant.post('/v1/payments', paymentBody({ currency: 'USD' }), key).then((r) => r);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = await merchant.post('/v1/payments', paymentBody({ currency: 'USD' }), key);
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_in_flight' });
      expect((await first).status).toBe(201);
      const third = await merchant.post('/v1/payments', paymentBody({ currency: 'USD' }), key).expect(201);
      expect(third.text).toBe((await first).text);
    } finally {
      await gateway.http.delete('/v1/ops/nodes/sim-gamma/faults').set(admin).expect(200);
    }
  });

  it('scopes keys per merchant', async () => {
    const other = await MerchantSession.create(gateway, 'Other');
    const key = 'shared-key-between-merchants';
    const mine = await merchant.post('/v1/payments', paymentBody(), key).expect(201);
    const theirs = await other.post('/v1/payments', paymentBody({ amount: 5 }), key).expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('releases the key when a capture fails at the provider, so a retry with it can succeed', async () => {
    const created = await merchant.pay({ currency: 'USD', capture: false }).expect(201);
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    await gateway.http.put('/v1/ops/nodes/sim-gamma/faults').set(admin).send({ mode: 'error' }).expect(200);
    const key = merchant.newKey();
    try {
      const failed = await merchant.post(`/v1/payments/${created.body.id}/capture`, {}, key).expect(502);
      expect(failed.body.error).toMatchObject({ type: 'api_error', code: 'processing_error' });
      expect((await merchant.get(`/v1/payments/${created.body.id}`)).body.status).toBe('authorized');
    } finally {
      await gateway.http.delete('/v1/ops/nodes/sim-gamma/faults').set(admin).expect(200);
    }
    const retried = await merchant.post(`/v1/payments/${created.body.id}/capture`, {}, key).expect(200);
    expect(retried.body.status).toBe('captured');
  });
});
