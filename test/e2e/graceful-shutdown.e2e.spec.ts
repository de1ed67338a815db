import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { pgliteBackend } from '../support/databases.js';
import { ADMIN_TOKEN, MerchantSession, paymentBody, startGateway } from '../support/gateway-harness.js';

describe('graceful shutdown', () => {
  it('refuses new requests, finishes the ones in flight, then closes', async () => {
    const database = await pgliteBackend.create();
    const gateway = await startGateway(database.config);
    await gateway.app.listen({ port: 0, host: '127.0.0.1' });
    const base = (await gateway.app.getUrl()).replace('[::1]', '127.0.0.1');
    const merchant = await MerchantSession.create(gateway);
    // JPY goes to the `global` leaf; made slow, its payment stays in flight for a while.
    await gateway.http.put('/v1/ops/nodes/global/faults').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ mode: 'slow', latency_ms: 900 }).expect(200);

    const startedAt = Date.now();
    const inFlight = fetch(`${base}/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${merchant.apiKey}`, 'idempotency-key': merchant.newKey(), 'content-type': 'application/json' },
      body: JSON.stringify(paymentBody({ currency: 'JPY', amount: 500 })),
    }).then(async (response) => ({ status: response.status, body: await response.json() }));
    await sleep(250);

    let closedAt = 0;
    const closing = gateway.app.close().then(() => (closedAt = Date.now()));
    await sleep(50);
    const refused = await fetch(`${base}/health/ready`);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { type: 'api_error', code: 'shutting_down', request_id: expect.stringMatching(/^req_/) } });

    const paid = await inFlight;
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ status: 'captured', route: { path: 'root/global' } });
    await closing;
    // The close waited for the payment, which could not finish before its leaf's 900 ms.
    expect(closedAt - startedAt).toBeGreaterThanOrEqual(900);
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
  });
});
