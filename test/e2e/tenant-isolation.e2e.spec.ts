import { beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../support/databases.js';
import { gatewayForSuite, MerchantSession } from '../support/gateway-harness.js';

describe.each(await testBackends())('tenant isolation on $name', (backend) => {
  const started = gatewayForSuite(backend);
  let owner: MerchantSession;
  let intruder: MerchantSession;
  let authorizedId: string;
  let capturedId: string;

  beforeAll(async () => {
    const gateway = started();
    owner = await MerchantSession.create(gateway, 'Owner');
    intruder = await MerchantSession.create(gateway, 'Intruder');
    authorizedId = (await owner.pay({ capture: false }).expect(201)).body.id;
    capturedId = (await owner.pay().expect(201)).body.id;
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

  it('answers the same 404 for an id that does not exist at all', async () => {
    const missing = await intruder.get('/v1/payments/pay_doesnotexist');
    const foreign = await intruder.get(`/v1/payments/${authorizedId}`);
    expect(missing.status).toBe(404);
    expect(foreign.body.error.code).toBe(missing.body.error.code);
  });
});
