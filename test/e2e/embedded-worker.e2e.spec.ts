import { afterAll, describe, expect, it } from 'vitest';
import { pgliteWorkerBackend, type TestDatabase } from '../support/databases.js';
import { MerchantSession, startGateway, type Gateway } from '../support/gateway-harness.js';

// The gateway on the embedded database as `npm start` opens it (a folder: PGlite in its worker).
describe('gateway on the embedded database in its worker thread', () => {
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await database?.drop();
  });

  it('takes concurrent payments, replays an idempotent retry, and finds them again after a restart', async () => {
    database = await pgliteWorkerBackend.create();
    let gateway: Gateway = await startGateway(database.config);
    const merchant = await MerchantSession.create(gateway);
    const keys = Array.from({ length: 12 }, () => merchant.newKey());
    const paid = await Promise.all(keys.map((key) => merchant.post('/v1/payments', { amount: 1000, currency: 'EUR', capture: true, payment_method: { type: 'card', card: { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' } } }, key)));
    expect(paid.map((response) => response.status)).toEqual(keys.map(() => 201));
    const retried = await merchant.post('/v1/payments', { amount: 1000, currency: 'EUR', capture: true, payment_method: { type: 'card', card: { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' } } }, keys[0]!);
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body.id).toBe(paid[0]!.body.id);
    await gateway.close();

    gateway = await startGateway(database.config);
    try {
      const again = merchant.on(gateway);
      const read = await again.get(`/v1/payments/${paid[11]!.body.id}`).expect(200);
      expect(read.body).toMatchObject({ id: paid[11]!.body.id, status: 'captured', amount: 1000 });
    } finally {
      await gateway.close();
    }
  });
});
