import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pgliteBackend } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, MerchantSession, paymentBody, startGateway } from '../support/gateway-harness.js';

const CARD = '5555555555554444';
const CVC = '7391';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
/** The simulator fails it with a processing error: the router fails over, and logs a line saying so. */
const FAILING_CARD = '4000000000000119';

interface LogLine {
  reqId?: string;
  trace_id?: string;
  msg?: string;
  payment_id?: string;
  route_path?: string | null;
  [key: string]: unknown;
}

describe('structured request logs', () => {
  let gateway: Gateway;
  let output = '';
  const requestIds: string[] = [];
  let apiKey = '';
  let webhookSecret = '';
  let paymentId = '';
  let failedOverRequestId = '';

  beforeAll(async () => {
    const database = await pgliteBackend.create();
    // Info level, as `npm start` runs by default; the lines are captured from stdout.
    gateway = await startGateway(database.config, undefined, ['log', 'warn', 'error']);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    });
    try {
      const merchant = await MerchantSession.create(gateway);
      apiKey = merchant.apiKey;
      const body = paymentBody({ description: `card ${CARD} cvc ${CVC}` }, CARD);
      body.payment_method.card.cvc = CVC;
      const paid = await merchant.post('/v1/payments', body).set('traceparent', `00-${TRACE_ID}-00f067aa0ba902b7-01`).expect(201);
      paymentId = paid.body.id;
      requestIds.push(paid.headers['request-id']);
      // Refused before routing: an invalid card number, and a wrong API key.
      const invalid = await merchant.pay({}, '4242424242424241').expect(400);
      requestIds.push(invalid.headers['request-id']);
      const refused = await gateway.http.get('/v1/payments').set('authorization', `Bearer sk_test_${'x'.repeat(30)}`).expect(401);
      requestIds.push(refused.headers['request-id']);
      failedOverRequestId = (await merchant.pay({}, FAILING_CARD)).headers['request-id'];
      requestIds.push(failedOverRequestId);
      const endpoint = await merchant.post('/v1/webhook_endpoints', { url: 'http://127.0.0.1:9/hook', events: ['payment.captured'] }, null).expect(201);
      webhookSecret = endpoint.body.secret;
      requestIds.push((await gateway.http.get('/v1/ops/tree').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(200)).headers['request-id']);
      // What should never be in a URL, in one: a secret key and a card number in the query.
      await gateway.http.get(`/elements/card?key=${apiKey}&origin=${CARD}`).expect(400);
    } finally {
      write.mockRestore();
    }
  });

  afterAll(async () => {
    await gateway?.close();
  });

  const lines = (): LogLine[] =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);

  it('writes one JSON object per line', () => {
    expect(lines().length).toBeGreaterThanOrEqual(requestIds.length);
    expect(output.split('\n').filter((line) => line.trim() && !line.startsWith('{'))).toEqual([]);
  });

  it('never logs card numbers, CVCs, API keys, webhook secrets or the admin token', () => {
    expect(apiKey).toMatch(/^sk_test_/);
    expect(webhookSecret).toMatch(/^whsec_/);
    // Every line carries the process id, which can be the CVC's four digits (it was, once).
    const scanned = output.replaceAll(`"pid":${process.pid},`, '');
    for (const secret of [CARD, CVC, apiKey, webhookSecret, ADMIN_TOKEN, 'x'.repeat(30)]) {
      expect(scanned.includes(secret), `the logs contain ${secret.slice(0, 10)}…`).toBe(false);
    }
  });

  it('carries the request id and the trace id on every line of a request', () => {
    const inRequests = lines().filter((line) => line.reqId);
    for (const id of requestIds) expect(inRequests.some((line) => line.reqId === id), `a line for ${id}`).toBe(true);
    for (const line of inRequests) {
      expect(line.reqId).toMatch(/^req_/);
      expect(line.trace_id, JSON.stringify(line).slice(0, 200)).toBeTruthy();
    }
    // Without a traceparent header, the trace id is the request id.
    const refused = inRequests.find((line) => line.reqId === requestIds[2]);
    expect(refused?.trace_id).toBe(requestIds[2]);
  });

  it("ties a line logged inside a request to it: the tree's failover line has the request's ids", () => {
    const treeLines = lines().filter((line) => line.context === 'Tree' && line.reqId === failedOverRequestId);
    expect(treeLines.map((line) => line.msg)).toContain('router failover');
    for (const line of treeLines) expect(line).toMatchObject({ trace_id: failedOverRequestId, code: 'processing_error' });
  });

  it('closes each request with exactly one line, with its status and duration', () => {
    for (const id of requestIds) {
      const closing = lines().filter((line) => line.reqId === id && line.msg === 'request completed');
      expect(closing, id).toHaveLength(1);
      expect(closing[0]).toMatchObject({ res: { statusCode: expect.any(Number) }, responseTime: expect.any(Number), req: { method: expect.any(String) } });
      // Every one of these requests sent a credential: the line says so, never what it was.
      expect(closing[0]?.req).toHaveProperty('headers.authorization', '[redacted]');
    }
  });

  it('puts the payment id and its route path on payment lines, and joins the caller trace', () => {
    const line = lines().find((entry) => entry.reqId === requestIds[0] && entry.msg === 'request completed');
    expect(line).toMatchObject({ trace_id: TRACE_ID, payment_id: paymentId, payment_status: 'captured' });
    expect(line?.route_path).toMatch(/^root\/eu\/sim-(alpha|beta)$/);
  });
});
