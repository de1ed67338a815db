import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { pgliteBackend } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, paymentBody } from '../support/gateway-harness.js';
import { OpenApiConformance } from '../support/openapi-conformance.js';

type Auth = 'merchant' | 'admin' | 'none';

/** Every endpoint of API.md (plus the ops payments feed and /metrics), its auth, and whether it moves money. */
const ENDPOINTS: [method: string, path: string, auth: Auth, movesMoney?: boolean][] = [
  ['post', '/v1/payments', 'merchant', true],
  ['get', '/v1/payments', 'merchant'],
  ['get', '/v1/payments/{id}', 'merchant'],
  ['get', '/v1/payments/{id}/events', 'merchant'],
  ['post', '/v1/payments/{id}/capture', 'merchant', true],
  ['post', '/v1/payments/{id}/void', 'merchant', true],
  ['post', '/v1/payments/{id}/refunds', 'merchant', true],
  ['get', '/v1/refunds/{id}', 'merchant'],
  ['post', '/v1/routing/preview', 'merchant'],
  ['post', '/v1/webhook_endpoints', 'merchant'],
  ['get', '/v1/webhook_endpoints/{id}', 'merchant'],
  ['delete', '/v1/webhook_endpoints/{id}', 'merchant'],
  ['post', '/v1/ops/merchants', 'admin'],
  ['patch', '/v1/ops/merchants/{id}', 'admin'],
  ['get', '/v1/ops/routing/series', 'admin'],
  ['get', '/v1/ops/nodes/{id}/market', 'admin'],
  ['put', '/v1/ops/nodes/{id}/market', 'admin'],
  ['delete', '/v1/ops/nodes/{id}/market', 'admin'],
  ['get', '/v1/ops/tree', 'admin'],
  ['put', '/v1/ops/nodes/{id}/faults', 'admin'],
  ['delete', '/v1/ops/nodes/{id}/faults', 'admin'],
  ['post', '/v1/ops/reconcile', 'admin'],
  ['get', '/v1/ops/payments', 'admin'],
  ['get', '/health/live', 'none'],
  ['get', '/health/ready', 'none'],
  ['get', '/metrics', 'none'],
];

const SECURITY: Record<Auth, unknown> = {
  merchant: [{ merchant_api_key: [] }],
  admin: [{ admin_token: [] }],
  none: undefined,
};

describe('OpenAPI document and docs UI', () => {
  const started = gatewayForSuite(pgliteBackend);
  let gateway: Gateway;
  let doc: Record<string, any>;
  let api: OpenApiConformance;

  beforeAll(async () => {
    gateway = started();
    const response = await gateway.http.get('/docs/openapi.json').expect(200).expect('content-type', /application\/json/);
    doc = response.body;
    api = new OpenApiConformance(doc);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.components.securitySchemes).toMatchObject({
      merchant_api_key: { type: 'http', scheme: 'bearer' },
      admin_token: { type: 'http', scheme: 'bearer' },
    });
  });

  it.each(ENDPOINTS)('documents %s %s with its auth, answers and errors', (method, path, auth, movesMoney) => {
    const operation = api.operation(method, path);
    expect(operation.security).toEqual(SECURITY[auth]);
    const responses = operation.responses as Record<string, { content?: Record<string, { schema?: unknown }> }>;
    const success = Object.keys(responses).filter((status) => status.startsWith('2'));
    expect(success.length, 'a success answer').toBeGreaterThan(0);
    for (const status of success) expect(Object.keys(responses[status]!.content ?? {}), `${status} content`).not.toEqual([]);
    const parameters = (operation.parameters ?? []) as { name: string; in: string }[];
    const idempotencyHeader = parameters.find((p) => p.in === 'header' && p.name === 'Idempotency-Key');
    if (movesMoney) {
      expect(idempotencyHeader).toMatchObject({ required: true });
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(['400', '409', '422']));
    } else {
      expect(idempotencyHeader).toBeUndefined();
    }
    if (auth !== 'none') {
      for (const status of ['401', '500']) {
        expect(responses[status]?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
      }
    }
    if (method === 'post' || method === 'put') {
      if (path !== '/v1/payments/{id}/void' && path !== '/v1/ops/reconcile') expect(operation.requestBody).toBeDefined();
    }
  });

  it('serves Swagger UI with its assets from the gateway, no CDN', async () => {
    const page = await gateway.http.get('/docs').expect(200).expect('content-type', /text\/html/);
    const urls = [...page.text.matchAll(/\b(?:src|href)=["']([^"']+)["']/g)].map((match) => match[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    expect(urls.filter((url) => /^(?:[a-z]+:)?\/\//i.test(url))).toEqual([]);
    expect(page.text).not.toMatch(/cdn|unpkg|jsdelivr|cloudflare/i);
    for (const url of urls) {
      const absolute = new URL(url, 'http://gateway/docs').pathname;
      await gateway.http.get(absolute).expect(200);
    }
    const init = await gateway.http.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('"openapi"');
  });

  it('real answers match their documented schemas', async () => {
    const merchant = await MerchantSession.create(gateway);
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const check = (response: { status: number; body: unknown; headers: Record<string, any> }, method: string, template: string) =>
      api.expectConforms(response, method, template);

    check(await gateway.http.post('/v1/ops/merchants').set(admin).send({ name: 'Docs' }), 'post', '/v1/ops/merchants');

    // Payments: captured, authorized, declined, pending (lost reply).
    const captured = await merchant.pay();
    check(captured, 'post', '/v1/payments');
    expect(captured.status).toBe(201);
    const authorized = await merchant.pay({ capture: false, currency: 'USD' });
    check(authorized, 'post', '/v1/payments');
    const toVoid = await merchant.pay({ capture: false });
    check(await merchant.pay({}, '4000000000000002'), 'post', '/v1/payments');
    check(await merchant.pay({}, '4000000000000101'), 'post', '/v1/payments');

    check(await merchant.post(`/v1/payments/${authorized.body.id}/capture`, { amount: 600 }), 'post', '/v1/payments/{id}/capture');
    check(await merchant.post(`/v1/payments/${toVoid.body.id}/void`), 'post', '/v1/payments/{id}/void');
    const refund = await merchant.post(`/v1/payments/${captured.body.id}/refunds`, { amount: 200, reason: 'requested' });
    expect(refund.status).toBe(201);
    check(refund, 'post', '/v1/payments/{id}/refunds');
    check(await merchant.get(`/v1/refunds/${refund.body.id}`), 'get', '/v1/refunds/{id}');
    check(await merchant.get('/v1/refunds/re_doesnotexist'), 'get', '/v1/refunds/{id}');
    check(await merchant.get(`/v1/payments/${captured.body.id}`), 'get', '/v1/payments/{id}');
    check(await merchant.get(`/v1/payments/${captured.body.id}/events`), 'get', '/v1/payments/{id}/events');
    check(await merchant.get('/v1/payments?limit=3'), 'get', '/v1/payments');
    check(await merchant.post('/v1/routing/preview', { amount: 500, currency: 'EUR', payment_method: { type: 'card' } }, null), 'post', '/v1/routing/preview');

    // Errors, each in the one error shape.
    const invalid = await merchant.post('/v1/payments', { ...paymentBody(), amount: -1 });
    expect(invalid.status).toBe(400);
    check(invalid, 'post', '/v1/payments');
    check(await merchant.post('/v1/payments', paymentBody(), null), 'post', '/v1/payments');
    check(await gateway.http.get('/v1/payments'), 'get', '/v1/payments');
    check(await merchant.get('/v1/payments/pay_doesnotexist'), 'get', '/v1/payments/{id}');
    const stateError = await merchant.post(`/v1/payments/${captured.body.id}/void`);
    expect(stateError.status).toBe(409);
    check(stateError, 'post', '/v1/payments/{id}/void');
    const key = merchant.newKey();
    await merchant.post('/v1/payments', paymentBody(), key).expect(201);
    const reused = await merchant.post('/v1/payments', paymentBody({ amount: 1001 }), key);
    expect(reused.status).toBe(422);
    check(reused, 'post', '/v1/payments');

    // Webhook endpoints.
    const endpoint = await merchant.post('/v1/webhook_endpoints', { url: 'http://127.0.0.1:9/hook', events: ['payment.captured'] }, null);
    check(endpoint, 'post', '/v1/webhook_endpoints');
    check(await merchant.get(`/v1/webhook_endpoints/${endpoint.body.id}`), 'get', '/v1/webhook_endpoints/{id}');
    check(
      await gateway.http.delete(`/v1/webhook_endpoints/${endpoint.body.id}`).set('authorization', `Bearer ${merchant.apiKey}`),
      'delete',
      '/v1/webhook_endpoints/{id}',
    );

    // Ops.
    check(await gateway.http.get('/v1/ops/tree').set(admin), 'get', '/v1/ops/tree');
    check(await gateway.http.put('/v1/ops/nodes/sim-beta/faults').set(admin).send({ mode: 'slow', latency_ms: 5 }), 'put', '/v1/ops/nodes/{id}/faults');
    check(await gateway.http.delete('/v1/ops/nodes/sim-beta/faults').set(admin), 'delete', '/v1/ops/nodes/{id}/faults');
    check(await gateway.http.put('/v1/ops/nodes/eu/faults').set(admin).send({ mode: 'down' }), 'put', '/v1/ops/nodes/{id}/faults');
    check(await gateway.http.put('/v1/ops/nodes/nope/faults').set(admin).send({ mode: 'down' }), 'put', '/v1/ops/nodes/{id}/faults');
    check(await gateway.http.get('/v1/ops/payments?limit=5').set(admin), 'get', '/v1/ops/payments');
    check(await gateway.http.post('/v1/ops/reconcile').set(admin), 'post', '/v1/ops/reconcile');
    check(await gateway.http.get('/v1/ops/tree'), 'get', '/v1/ops/tree');
    check(await gateway.http.get('/health/live'), 'get', '/health/live');
    check(await gateway.http.get('/health/ready'), 'get', '/health/ready');

    expect([...api.checked].filter((entry) => / 4\d\d$/.test(entry)).length).toBeGreaterThanOrEqual(6);
  });
});
