import { beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../apps/gateway/src/create-gateway-app.js';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, paymentBody } from '../support/gateway-harness.js';

const ERROR_SHAPE = {
  error: {
    type: expect.any(String),
    code: expect.any(String),
    message: expect.any(String),
    request_id: expect.stringMatching(/^req_/),
  },
};

describe.each(await testBackends())('hardening on $name', (backend) => {
  const started = gatewayForSuite(backend);
  let merchant: MerchantSession;

  beforeAll(async () => {
    merchant = await MerchantSession.create(started());
  });

  it('refuses a body over the limit with 413 and the error shape', async () => {
    const body = paymentBody({ description: 'x'.repeat(BODY_LIMIT_BYTES) });
    const response = await merchant.post('/v1/payments', body).expect(413);
    expect(response.body).toMatchObject(ERROR_SHAPE);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'body_too_large' });
  });

  it('refuses input a route does not declare: unknown query parameters, a body where none is taken', async () => {
    const paid = (await merchant.pay({ capture: false }).expect(201)).body.id;
    const query = await merchant.get(`/v1/payments/${paid}?expand=route`).expect(400);
    expect(query.body.error).toMatchObject({ code: 'parameter_unknown', param: 'expand' });
    const list = await merchant.get('/v1/payments?limit=5&include_deleted=true').expect(400);
    expect(list.body.error).toMatchObject({ code: 'parameter_unknown', param: 'include_deleted' });
    const voided = await merchant.post(`/v1/payments/${paid}/void`, { reason: 'changed my mind' }).expect(400);
    expect(voided.body.error).toMatchObject({ code: 'parameter_unknown', param: 'reason' });
    const capture = await merchant.post(`/v1/payments/${paid}/capture`, { amount: 10, currency: 'EUR' }).expect(400);
    expect(capture.body.error).toMatchObject({ code: 'parameter_unknown', param: 'currency' });
    // Nothing happened to the payment.
    expect((await merchant.get(`/v1/payments/${paid}`).expect(200)).body.status).toBe('authorized');
    await merchant.get('/v1/payments?limit=5').expect(200);
    await merchant.post(`/v1/payments/${paid}/void`, {}).expect(200);
  });

  it('refuses absurdly deep bodies and NUL characters with a 400, not a crash', async () => {
    const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    const nested = await started()
      .http.post('/v1/webhook_endpoints')
      .set('authorization', `Bearer ${merchant.apiKey}`)
      .set('content-type', 'application/json')
      .send(`{"url": "https://example.com/x", "events": ${deep}}`)
      .expect(400);
    expect(nested.body.error.code).toBe('body_too_deep');
    const nul = await merchant.pay({ description: 'order\u000042' }).expect(400);
    expect(nul.body.error.code).toBe('invalid_characters');
    await merchant.get('/v1/payments/pay_%00').expect(400);
  });

  it('answers malformed URLs and over-long ids with the error shape', async () => {
    const badEncoding = await merchant.get('/v1/payments/%E0%A4%A').expect(400);
    expect(badEncoding.body).toMatchObject(ERROR_SHAPE);
    const longId = await merchant.get(`/v1/payments/pay_${'a'.repeat(500)}`).expect(414);
    expect(longId.body).toMatchObject(ERROR_SHAPE);
  });

  it('sends security headers and no-store on answers, errors included', async () => {
    for (const response of [
      await merchant.get('/v1/payments').expect(200),
      await started().http.get('/v1/payments').expect(401),
      await merchant.get('/v1/nothing-here').expect(404),
    ]) {
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'SAMEORIGIN',
        'cache-control': 'no-store',
      });
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['strict-transport-security']).toContain('max-age=');
    }
  });

  it('answers a caller without a valid credential 401 whatever input it sent, and checks the input once it is in', async () => {
    const gateway = started();
    const hostileBody = JSON.stringify({ amount: 1000, constructor: 'x' });
    for (const [method, url, authorization] of [
      ['GET', '/v1/payments?nope=1', undefined],
      ['POST', '/v1/payments', `Bearer ${merchant.apiKey}x`],
      ['GET', '/v1/ops/tree?nope=1', `Bearer ${ADMIN_TOKEN}x`],
    ] as const) {
      const request = method === 'GET' ? gateway.http.get(url) : gateway.http.post(url).set('content-type', 'application/json').set('idempotency-key', 'k-auth-first');
      if (authorization) void request.set('authorization', authorization);
      const refused = await (method === 'GET' ? request : request.send(hostileBody)).expect(401);
      expect(refused.body.error.type, `${method} ${url}`).toBe('authentication_error');
    }
    const unknownQuery = await merchant.get('/v1/payments?nope=1').expect(400);
    expect(unknownQuery.body.error).toMatchObject({ code: 'parameter_unknown', param: 'nope' });
    const reserved = await gateway.http.get('/v1/ops/tree?nope=1').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(400);
    expect(reserved.body.error.code).toBe('parameter_unknown');
    const onOpenRoute = await gateway.http.get('/health/live?nope=1').expect(400);
    expect(onOpenRoute.body.error.code).toBe('parameter_unknown');
  });

  it('refuses a wrong admin token and merchant keys on ops routes', async () => {
    const gateway = started();
    await gateway.http.get('/v1/ops/tree').set('authorization', `Bearer ${ADMIN_TOKEN}x`).expect(401);
    await gateway.http.get('/v1/ops/tree').set('authorization', `Bearer ${merchant.apiKey}`).expect(401);
    await gateway.http.get('/v1/ops/tree').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
  });
});

describe.each(await testBackends())('rate limits on $name', (backend) => {
  const started = gatewayForSuite(backend, { config: { rateLimit: { limit: 5, opsLimit: 4, windowMs: 60_000 } } });
  let gateway: Gateway;

  beforeAll(() => {
    gateway = started();
  });

  it('limits each API key across all routes with 429, Retry-After and the error shape', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const first = await MerchantSession.create(gateway); // ops budget: 1 of 4
    const second = await MerchantSession.create(gateway); // 2 of 4
    for (let i = 0; i < 3; i += 1) await first.get('/v1/payments').expect(200);
    await first.get('/v1/webhook_endpoints').expect(200);
    await first.pay().expect(201); // the 5th request of this key
    const limited = await first.get('/v1/payments').expect(429);
    expect(limited.body).toMatchObject(ERROR_SHAPE);
    expect(limited.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    await first.post('/v1/webhook_endpoints', { url: 'https://example.com/x', events: ['payment.captured'] }, null).expect(429);

    // Another merchant's key has its own budget, and so has the admin token.
    await second.get('/v1/payments').expect(200);
    await gateway.http.get('/v1/ops/tree').set(admin).expect(200); // 3 of 4
    await gateway.http.get('/v1/ops/tree').set(admin).expect(200); // 4 of 4
    const ops = await gateway.http.get('/v1/ops/tree').set(admin).expect(429);
    expect(ops.body.error.type).toBe('rate_limit_error');
    await second.get('/v1/payments').expect(200);
  });
});
