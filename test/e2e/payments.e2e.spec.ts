import { beforeAll, describe, expect, it, vi } from 'vitest';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, paymentBody, deleteFault, putFault } from '../support/gateway-harness.js';

describe.each(await testBackends())('payments API on $name', (backend) => {
  const started = gatewayForSuite(backend);
  let gateway: Gateway;
  let merchant: MerchantSession;

  beforeAll(async () => {
    gateway = started();
    merchant = await MerchantSession.create(gateway);
  });

  const setFault = (node: string, fault: object) => putFault(gateway, node, fault);
  const clearFault = (node: string) => deleteFault(gateway, node);

  it('captures an approved card and returns the payment of API.md with its route', async () => {
    const response = await merchant.pay().expect(201);
    const payment = response.body;
    expect(payment).toMatchObject({
      object: 'payment',
      status: 'captured',
      amount: 1000,
      amount_captured: 1000,
      amount_refunded: 0,
      currency: 'EUR',
      capture: true,
      payment_method: { type: 'card', card: { brand: 'visa', bin: '424242', last4: '4242', exp_month: 12, exp_year: 2030 } },
      decline_code: null,
      failure_message: null,
      metadata: { order: '42' },
    });
    expect(payment.id).toMatch(/^pay_/);
    expect(payment.route.path).toMatch(/^root\/eu\/sim-(alpha|beta)$/);
    expect(payment.route.attempts).toHaveLength(1);
    expect(payment.route.attempts[0]).toMatchObject({ outcome: 'approved', code: null, path: payment.route.path });
    expect(payment.route.attempts[0].id).toMatch(/^att_/);
    expect(payment.route.attempts[0].reason).toContain('eu');
    expect(JSON.stringify(payment)).not.toContain('4242424242424242');
    const fetched = await merchant.get(`/v1/payments/${payment.id}`).expect(200);
    expect(fetched.body).toEqual(payment);
  });

  it.each([
    ['5555555555554444', 'captured', null],
    ['4000000000000002', 'declined', 'card_declined'],
    ['4000000000009995', 'declined', 'insufficient_funds'],
    ['4000000000000069', 'declined', 'expired_card'],
    ['4000000000000119', 'failed', 'processing_error'],
  ])('test card %s ends %s (%s)', async (card, status, code) => {
    const response = await merchant.pay({}, card).expect(201);
    expect(response.body.status).toBe(status);
    expect(response.body.decline_code).toBe(code);
  });

  it('does not fail over a hard decline', async () => {
    const response = await merchant.pay({ currency: 'USD' }, '4000000000000002').expect(201);
    expect(response.body.route.attempts).toHaveLength(1);
    expect(response.body.route.attempts[0]).toMatchObject({ path: 'root/us/sim-gamma', outcome: 'declined', code: 'card_declined' });
  });

  it('fails a processing error over to the sibling, returning both attempts', async () => {
    const response = await merchant.pay({ currency: 'USD' }, '4000000000000119').expect(201);
    expect(response.body.status).toBe('failed');
    expect(response.body.route.attempts.map((a: { path: string }) => a.path)).toEqual([
      'root/us/sim-gamma',
      'root/us/sim-delta',
    ]);
  });

  it('fails over from a leaf that is down to its sibling, with both attempts returned', async () => {
    await setFault('sim-gamma', { mode: 'down' });
    try {
      const response = await merchant.pay({ currency: 'USD' }).expect(201);
      expect(response.body.status).toBe('captured');
      expect(response.body.route.path).toBe('root/us/sim-delta');
      const attempts = response.body.route.attempts;
      expect(attempts).toHaveLength(2);
      expect(attempts[0]).toMatchObject({ path: 'root/us/sim-gamma', outcome: 'failed', code: 'provider_unavailable' });
      expect(attempts[1]).toMatchObject({ path: 'root/us/sim-delta', outcome: 'approved' });
      expect(attempts[0].id).not.toBe(attempts[1].id);
    } finally {
      await clearFault('sim-gamma');
    }
  });

  it('settles the timeout card by status inquiry: authorized after one charge at one leaf, no failover', async () => {
    const delta = vi.spyOn(gateway.tree.nodes.get('sim-delta')!, 'authorize');
    const gamma = vi.spyOn(gateway.tree.nodes.get('sim-gamma')!, 'authorize');
    try {
      const response = await merchant.pay({ currency: 'USD', capture: false }, '4000000000000101').expect(201);
      expect(response.body.status).toBe('authorized');
      expect(response.body.route.path).toBe('root/us/sim-gamma');
      expect(response.body.route.attempts).toHaveLength(1);
      expect(gamma).toHaveBeenCalledTimes(1);
      expect(delta).not.toHaveBeenCalled();
      const status = await gateway.tree.root.status(
        { path: ['root', 'us', 'sim-gamma'], attemptId: response.body.route.attempts[0].id, providerReference: null },
        { signal: new AbortController().signal, deadline: Date.now() + 1000, traceId: 't', logger: console },
      );
      expect(status).toMatchObject({ state: 'approved', amountAuthorized: 1000 });
    } finally {
      delta.mockRestore();
      gamma.mockRestore();
    }
  });

  it('leaves a payment pending when its leaf charged and then stopped answering', async () => {
    await setFault('sim-gamma', { mode: 'timeout' });
    const delta = vi.spyOn(gateway.tree.nodes.get('sim-delta')!, 'authorize');
    try {
      const response = await merchant.pay({ currency: 'USD' }).expect(201);
      expect(response.body.status).toBe('pending');
      expect(response.body.route.attempts).toHaveLength(1);
      expect(response.body.route.attempts[0]).toMatchObject({ path: 'root/us/sim-gamma', outcome: 'unknown' });
      expect(delta).not.toHaveBeenCalled();
      const events = await merchant.get(`/v1/payments/${response.body.id}/events`).expect(200);
      expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(['payment.created']);
    } finally {
      delta.mockRestore();
      await clearFault('sim-gamma');
    }
  });

  it('captures partially, refunds up to the captured amount, and refuses past it with 409', async () => {
    const created = await merchant.pay({ capture: false, amount: 1000 }).expect(201);
    expect(created.body).toMatchObject({ status: 'authorized', amount_captured: 0 });
    const id = created.body.id;

    const captured = await merchant.post(`/v1/payments/${id}/capture`, { amount: 600 }).expect(200);
    expect(captured.body).toMatchObject({ status: 'captured', amount: 1000, amount_captured: 600 });

    await merchant.post(`/v1/payments/${id}/capture`, { amount: 100 }).expect(409);

    const tooMuch = await merchant.post(`/v1/payments/${id}/refunds`, { amount: 601 }).expect(409);
    expect(tooMuch.body.error).toMatchObject({ type: 'state_error', code: 'refund_exceeds_captured' });

    const first = await merchant.post(`/v1/payments/${id}/refunds`, { amount: 200, reason: 'damaged' }).expect(201);
    expect(first.body).toMatchObject({ object: 'refund', payment_id: id, amount: 200, status: 'succeeded' });
    expect(first.body.id).toMatch(/^re_/);
    expect((await merchant.get(`/v1/payments/${id}`)).body).toMatchObject({ status: 'partially_refunded', amount_refunded: 200 });

    const rest = await merchant.post(`/v1/payments/${id}/refunds`, {}).expect(201);
    expect(rest.body.amount).toBe(400);
    expect((await merchant.get(`/v1/payments/${id}`)).body).toMatchObject({ status: 'refunded', amount_refunded: 600 });

    const past = await merchant.post(`/v1/payments/${id}/refunds`, { amount: 1 }).expect(409);
    expect(past.body.error.type).toBe('state_error');

    const events = await merchant.get(`/v1/payments/${id}/events`).expect(200);
    expect(events.body.data.map((e: { status: string }) => e.status)).toEqual([
      'pending',
      'authorized',
      'captured',
      'partially_refunded',
      'refunded',
    ]);
  });

  it('refuses a capture above the authorized amount', async () => {
    const created = await merchant.pay({ capture: false }).expect(201);
    const response = await merchant.post(`/v1/payments/${created.body.id}/capture`, { amount: 1001 }).expect(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'amount_too_large', param: 'amount' });
    expect((await merchant.get(`/v1/payments/${created.body.id}`)).body.status).toBe('authorized');
  });

  it('voids an authorization; capture and refund of a voided payment are state errors', async () => {
    const created = await merchant.pay({ capture: false }).expect(201);
    const id = created.body.id;
    const voided = await merchant.post(`/v1/payments/${id}/void`).expect(200);
    expect(voided.body.status).toBe('voided');
    const capture = await merchant.post(`/v1/payments/${id}/capture`).expect(409);
    expect(capture.body.error).toMatchObject({ type: 'state_error', code: 'payment_not_capturable' });
    await merchant.post(`/v1/payments/${id}/void`).expect(409);
    await merchant.post(`/v1/payments/${id}/refunds`).expect(409);
  });

  it('follows the recorded path for capture, never re-routing', async () => {
    const created = await merchant.pay({ currency: 'USD', capture: false }).expect(201);
    expect(created.body.route.path).toBe('root/us/sim-gamma');
    const delta = vi.spyOn(gateway.tree.nodes.get('sim-delta')!, 'capture');
    const gamma = vi.spyOn(gateway.tree.nodes.get('sim-gamma')!, 'capture');
    try {
      await merchant.post(`/v1/payments/${created.body.id}/capture`).expect(200);
      expect(gamma).toHaveBeenCalledTimes(1);
      expect(delta).not.toHaveBeenCalled();
    } finally {
      delta.mockRestore();
      gamma.mockRestore();
    }
  });

  it('rejects a card number that fails the Luhn check before routing, creating nothing', async () => {
    const before = await merchant.get('/v1/payments?limit=100').expect(200);
    const response = await merchant.pay({}, '4242424242424241').expect(400);
    expect(response.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_card_number',
      param: 'payment_method.card.number',
    });
    expect(response.body.error.request_id).toMatch(/^req_/);
    const after = await merchant.get('/v1/payments?limit=100').expect(200);
    expect(after.body.data.length).toBe(before.body.data.length);
  });

  it.each([
    [{ amount: -5 }, 'amount'],
    [{ amount: 10.5 }, 'amount'],
    [{ amount: '1000' }, 'amount'],
    [{ currency: 'EURO' }, 'currency'],
    [{ currency: undefined }, 'currency'],
    [{ capture: 'yes' }, 'capture'],
    [{ unknown_field: 1 }, 'unknown_field'],
    [{ customer: { country: 'Germany' } }, 'customer.country'],
    [{ metadata: { nested: { no: 1 } } }, 'metadata'],
    [{ payment_method: { type: 'card', card: { number: '4242424242424242', exp_month: 13, exp_year: 2030 } } }, 'payment_method.card.exp_month'],
    [{ payment_method: { type: 'card', card: { number: '4242424242424242', exp_month: 12, exp_year: 2030, pin: '1' } } }, 'payment_method.card.pin'],
  ])('answers 400 naming the bad param for %j', async (overrides, param) => {
    const response = await merchant.post('/v1/payments', paymentBody(overrides)).expect(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(typeof response.body.error.message).toBe('string');
  });

  it('accepts a currency in any case and returns it upper case', async () => {
    const response = await merchant.pay({ currency: 'gbp' }).expect(201);
    expect(response.body.currency).toBe('GBP');
  });

  it('routes by rule: JPY goes to the global default leaf', async () => {
    const response = await merchant.pay({ currency: 'JPY', amount: 500 }).expect(201);
    expect(response.body.route.path).toBe('root/global');
    expect(response.body.status).toBe('captured');
  });

  it('fails a currency no route takes with currency_not_supported', async () => {
    const response = await merchant.pay({ currency: 'CHF' }).expect(201);
    expect(response.body.status).toBe('failed');
    expect(response.body.decline_code).toBe('currency_not_supported');
  });

  it('lists payments newest first with cursor pagination and a status filter', async () => {
    const other = await MerchantSession.create(gateway, 'Lister');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await other.pay({ amount: 100 + i })).body.id);
    const declined = (await other.pay({}, '4000000000000002')).body.id;
    const page1 = await other.get('/v1/payments?limit=2').expect(200);
    expect(page1.body).toMatchObject({ object: 'list', has_more: true });
    expect(page1.body.data.map((p: { id: string }) => p.id)).toEqual([declined, ids[2]]);
    const page2 = await other.get(`/v1/payments?limit=2&starting_after=${ids[2]}`).expect(200);
    expect(page2.body.data.map((p: { id: string }) => p.id)).toEqual([ids[1], ids[0]]);
    expect(page2.body.has_more).toBe(false);
    const onlyDeclined = await other.get('/v1/payments?status=declined').expect(200);
    expect(onlyDeclined.body.data.map((p: { id: string }) => p.id)).toEqual([declined]);
    await other.get('/v1/payments?status=bogus').expect(400);
    await other.get('/v1/payments?limit=0').expect(400);
  });

  it('requires a valid API key', async () => {
    const missing = await gateway.http.get('/v1/payments').expect(401);
    expect(missing.body.error).toMatchObject({ type: 'authentication_error' });
    await gateway.http.get('/v1/payments').set('authorization', 'Bearer sk_test_nope').expect(401);
    await gateway.http.get('/v1/payments').set('authorization', `Bearer ${ADMIN_TOKEN}`).expect(401);
  });

  it('answers unknown routes and malformed JSON with the error shape', async () => {
    const unknown = await merchant.get('/v1/nothing-here').expect(404);
    expect(unknown.body.error).toMatchObject({ type: 'not_found' });
    const malformed = await gateway.http
      .post('/v1/payments')
      .set('authorization', `Bearer ${merchant.apiKey}`)
      .set('idempotency-key', 'malformed-1')
      .set('content-type', 'application/json')
      .send('{"amount": 10,')
      .expect(400);
    expect(malformed.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
  });
});
