import { beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/databases.js';
import { gatewayForSuite, MerchantSession } from '../support/gateway-harness.js';

describe.each(await testBackends())('tenant isolation on $name', (backend) => {
  const started = gatewayForSuite(backend);
  let owner: MerchantSession;
  let intruder: MerchantSession;
  let authorizedId: string;
  let capturedId: string;
  let refundId: string;
  let endpointId: string;

  beforeAll(async () => {
    const gateway = started();
    owner = await MerchantSession.create(gateway, 'Owner');
    intruder = await MerchantSession.create(gateway, 'Intruder');
    authorizedId = (await owner.pay({ capture: false }).expect(201)).body.id;
    capturedId = (await owner.pay().expect(201)).body.id;
    const refunded = (await owner.pay().expect(201)).body.id;
    refundId = (await owner.post(`/v1/payments/${refunded}/refunds`, { amount: 1 }).expect(201)).body.id;
    endpointId = (
      await owner.post('/v1/webhook_endpoints', { url: 'https://owner.example/hooks', events: ['payment.captured'] }, null).expect(201)
    ).body.id;
  });

  const expect404 = (response: { status: number; body: { error?: { type?: string } } }) => {
    expect(response.status).toBe(404);
    expect(response.body.error?.type).toBe('not_found');
  };

  it("answers 404 for another merchant's payment on every endpoint, and changes nothing", async () => {
    expect404(await intruder.get(`/v1/payments/${authorizedId}`));
    expect404(await intruder.get(`/v1/payments/${authorizedId}/events`));
    expect404(await intruder.post(`/v1/payments/${authorizedId}/capture`, {}));
    expect404(await intruder.post(`/v1/payments/${authorizedId}/void`, {}));
    expect404(await intruder.post(`/v1/payments/${capturedId}/refunds`, { amount: 1 }));
    expect404(await intruder.get(`/v1/payments?starting_after=${authorizedId}`));
    const list = await intruder.get('/v1/payments').expect(200);
    expect(list.body.data).toEqual([]);

    expect((await owner.get(`/v1/payments/${authorizedId}`)).body).toMatchObject({ status: 'authorized', amount_captured: 0 });
    expect((await owner.get(`/v1/payments/${capturedId}`)).body).toMatchObject({ status: 'captured', amount_refunded: 0 });
  });

  it("answers 404 for another merchant's refund and webhook endpoint, and changes nothing", async () => {
    const gateway = started();
    expect404(await intruder.get(`/v1/refunds/${refundId}`));
    expect404(await intruder.get(`/v1/webhook_endpoints/${endpointId}`));
    expect404(await gateway.http.delete(`/v1/webhook_endpoints/${endpointId}`).set('authorization', `Bearer ${intruder.apiKey}`));
    expect((await intruder.get('/v1/webhook_endpoints').expect(200)).body.data).toEqual([]);

    expect((await owner.get(`/v1/refunds/${refundId}`).expect(200)).body).toMatchObject({ id: refundId, object: 'refund', amount: 1 });
    expect((await owner.get(`/v1/webhook_endpoints/${endpointId}`).expect(200)).body).toMatchObject({ id: endpointId, status: 'enabled' });
    // The owner's endpoint still receives: a new capture of the owner writes a delivery to it.
    const paid = (await owner.pay().expect(201)).body.id;
    const events = (await owner.get(`/v1/payments/${paid}/events`).expect(200)).body.data;
    expect(events.map((e: { type: string }) => e.type)).toContain('payment.captured');
  });

  it('answers the same 404 for an id that does not exist at all', async () => {
    const missing = await intruder.get('/v1/payments/pay_doesnotexist');
    const foreign = await intruder.get(`/v1/payments/${authorizedId}`);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.code).toBe(missing.body.error.code);
    const missingEndpoint = await intruder.get('/v1/webhook_endpoints/we_doesnotexist');
    const foreignEndpoint = await intruder.get(`/v1/webhook_endpoints/${endpointId}`);
    expect(foreignEndpoint.status).toBe(missingEndpoint.status);
    expect(foreignEndpoint.body.error.code).toBe(missingEndpoint.body.error.code);
  });
});
