import { contextWithTimeout, maskCard, type AuthorizeRequest } from '#gateway-spi';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAdyenFake, type AdyenFake } from '../fake/adyen.fake.js';
import { adyenAdapter } from './adyen.adapter.js';
import { createAdyenCheckout, type AdyenCheckout, type CallOptions } from './adyen.client.js';
import { AdyenNode } from './adyen.node.js';
import { parseAdyenOptions } from './adyen.options.js';

const ctx = (ms = 5000) => contextWithTimeout(ms, { traceId: 't' });
let seq = 0;
function payment(number = '4111111111111111', capture = false): AuthorizeRequest {
  const card = { number, expMonth: 3, expYear: 2030, cvc: '737' };
  const id = `n${++seq}`;
  return { paymentId: `pay_${id}`, attemptId: `att_${id}_1`, attemptSeq: 1, merchantId: 'm', amount: 1000, currency: 'EUR', capture, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {} };
}
const options = parseAdyenOptions({ api_key_env: 'K', merchant_account: 'CanopyTest' }).options;

describe('adyen node with an injected checkout (no network)', () => {
  /** An injected checkout recording each call; with notifications (an HMAC key) unless `hmacKey: null`. */
  function recording(answer: (call: CallOptions, op: string, body: unknown) => Promise<unknown>, hmacKey: string | null = 'AB'.repeat(32)) {
    const calls: Array<{ op: string; key: string; signal: AbortSignal; body: unknown }> = [];
    const record = (op: string) => (...args: unknown[]) => {
      const call = args[args.length - 1] as CallOptions;
      const body = args[args.length - 2];
      calls.push({ op, key: call.idempotencyKey, signal: call.signal, body });
      return answer(call, op, body);
    };
    const checkout: AdyenCheckout = {
      payments: record('payments'),
      paymentsDetails: record('details'),
      capture: record('capture'),
      cancel: record('cancel'),
      refund: record('refund'),
      cancelByReference: record('cancelByReference'),
    } as unknown as AdyenCheckout;
    return { calls, node: new AdyenNode('ady', options, { checkout, hmacKey }) };
  }

  it('sends the attempt id as idempotency key on authorize (replays too), the operation id on modifications, and the deadline signal', async () => {
    const { calls, node } = recording(async () => ({ resultCode: 'Authorised', pspReference: 'PSP', status: 'received' }));
    const req = payment();
    const c = ctx();
    await node.authorize(req, c);
    await node.authorize(req, ctx());
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: 'PSP' };
    await node.capture({ ...address, operationId: 'cap_9', amount: 10, currency: 'EUR' }, ctx());
    await node.capture({ ...address, operationId: 'cap_9', amount: 10, currency: 'EUR' }, ctx());
    await node.refund({ ...address, operationId: 're_9', amount: 5, currency: 'EUR' }, ctx());
    expect(calls.map((call) => `${call.op} ${call.key}`)).toEqual([`payments ${req.attemptId}`, `payments ${req.attemptId}`, 'capture cap_9', 'capture cap_9', 'refund re_9']);
    // The request's own signal: not cut at the caller's deadline, only after a grace for a late answer.
    expect(calls[0]!.signal).toBeInstanceOf(AbortSignal);
    expect(calls[0]!.signal.aborted).toBe(false);
  });

  it('answers provider_timeout at the deadline even when the SDK call never settles', async () => {
    const { node } = recording(() => new Promise(() => {}));
    const started = Date.now();
    const outcome = await node.authorize(payment(), ctx(100));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcome).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false });
  });

  it('a late answer after the deadline still settles the journal: status answers from it without asking', async () => {
    let release!: (value: unknown) => void;
    const { calls, node } = recording(() => new Promise((resolve) => (release = resolve)));
    const req = payment();
    expect((await node.authorize(req, ctx(50))).outcome).toBe('unknown');
    release({ resultCode: 'Authorised', pspReference: 'LATE', amount: { value: 1000, currency: 'EUR' } });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await node.status({ path: ['ady'], attemptId: req.attemptId, providerReference: null }, ctx())).toMatchObject({ state: 'approved', providerReference: 'LATE', amountAuthorized: 1000 });
    expect(calls).toHaveLength(1);
  });

  it('sends nothing past the deadline: failed provider_timeout, retryable', async () => {
    const { calls, node } = recording(async () => ({}));
    const outcome = await node.authorize(payment(), contextWithTimeout(5000, { traceId: 't', signal: AbortSignal.abort() }));
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'provider_timeout', retryable: true });
    expect(calls).toEqual([]);
  });

  it('answers a received modification pending, counts it against what remains, and a replay of a confirmed one succeeded', async () => {
    const { calls, node } = recording(async () => ({ resultCode: 'Authorised', pspReference: 'PSP', status: 'received' }));
    const req = payment();
    await node.authorize(req, ctx());
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: 'PSP' };
    expect(await node.capture({ ...address, operationId: `${req.attemptId}.capture`, amount: 1000, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'pending', code: null });
    // Pending counts against the authorised amount, but is not reported captured before Adyen confirms it.
    expect((await node.capture({ ...address, operationId: 'c2', amount: 1, currency: 'EUR' }, ctx())).outcome).toBe('failed');
    expect(await node.status({ path: ['ady'], attemptId: req.attemptId, providerReference: null }, ctx())).toMatchObject({ state: 'approved', amountCaptured: 0 });
    expect(calls.map((c) => c.op)).toEqual(['payments', 'capture']);
  });

  it('without hmac_key_env a received modification answers succeeded and counts at once (no notification could ever confirm it)', async () => {
    const { calls, node } = recording(async () => ({ resultCode: 'Authorised', pspReference: 'PSP', amount: { value: 1000, currency: 'EUR' }, status: 'received' }), null);
    const req = payment();
    await node.authorize(req, ctx());
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: 'PSP' };
    expect(await node.capture({ ...address, operationId: `${req.attemptId}.capture`, amount: 600, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'succeeded', code: null });
    expect(await node.refund({ ...address, operationId: 're_1', amount: 200, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await node.status({ path: ['ady'], attemptId: req.attemptId, providerReference: null }, ctx())).toMatchObject({ state: 'approved', amountCaptured: 600, amountRefunded: 200 });
    // The counted sums bound what follows: 400 remain refundable, 400 capturable; a void after a capture is refused.
    expect((await node.refund({ ...address, operationId: 're_2', amount: 401, currency: 'EUR' }, ctx())).outcome).toBe('failed');
    expect((await node.void({ ...address, operationId: `${req.attemptId}.void` }, ctx())).outcome).toBe('failed');
    // A replay answers from the journal.
    expect((await node.capture({ ...address, operationId: `${req.attemptId}.capture`, amount: 600, currency: 'EUR' }, ctx())).outcome).toBe('succeeded');
    expect(calls.map((c) => c.op)).toEqual(['payments', 'capture', 'refund']);
    const other = payment();
    await node.authorize(other, ctx());
    expect(await node.void({ path: ['ady'], attemptId: other.attemptId, providerReference: 'PSP', operationId: `${other.attemptId}.void` }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await node.status({ path: ['ady'], attemptId: other.attemptId, providerReference: null }, ctx())).toMatchObject({ voided: true });
  });

  /** A 3-D Secure attempt waiting for the shopper; `details` answers /payments/details. */
  function waiting(details: (call: CallOptions) => Promise<unknown>, withPsp = false) {
    const redirect = { resultCode: 'RedirectShopper', merchantReference: 'x', action: { type: 'redirect', method: 'GET', url: 'https://shopper.example/3ds?MD=1' }, ...(withPsp ? { pspReference: 'WAITPSP' } : {}) };
    return recording(async (call, op) => {
      if (op === 'payments') return redirect;
      if (op === 'details') return details(call);
      return { status: 'received', pspReference: 'MOD' };
    });
  }
  const returning = (capture = true): AuthorizeRequest => ({ ...payment('4917610000000000', capture), returnUrl: 'https://gw.example/return' });

  it('a /payments/details answer lost (reset, 5xx): unknown, and status asks again under the same key, which settles the attempt', async () => {
    let lose = 2;
    const { calls, node } = waiting(async () => {
      if (lose-- === 2) throw new Error('socket hang up');
      if (lose === 0) throw Object.assign(new Error('HTTP Exception: 500'), { name: 'HttpClientException', statusCode: 500, apiError: { status: 500, errorCode: '905', message: 'boom' } });
      return { resultCode: 'Authorised', pspReference: 'PSPDONE', merchantReference: req.attemptId, amount: { value: 1000, currency: 'EUR' } };
    });
    const req = returning();
    const asked = await node.authorize(req, ctx());
    // No pspReference in the RedirectShopper answer: the waiting attempt is known by its reference.
    expect(asked).toMatchObject({ outcome: 'requires_action', providerReference: req.attemptId });
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: asked.providerReference };
    expect(await node.completeAction({ ...address, returnData: { redirectResult: 'RR1' } }, ctx())).toMatchObject({ state: 'unknown', code: 'provider_unavailable' });
    expect(await node.status(address, ctx())).toMatchObject({ state: 'unknown', code: 'provider_unavailable' });
    expect(await node.status(address, ctx())).toMatchObject({ state: 'approved', providerReference: 'PSPDONE', amountAuthorized: 1000, amountCaptured: 1000 });
    const details = calls.filter((c) => c.op === 'details');
    expect(details).toHaveLength(3);
    expect(new Set(details.map((c) => c.key)).size).toBe(1);
    expect(details.every((c) => JSON.stringify(c.body) === JSON.stringify({ details: { redirectResult: 'RR1' } }))).toBe(true);
    // Settled: status answers from the journal again.
    await node.status(address, ctx());
    expect(calls.filter((c) => c.op === 'details')).toHaveLength(3);
  });

  it('a refused redirect result (validation) decides nothing and is not asked again', async () => {
    const { calls, node } = waiting(async () => {
      throw Object.assign(new Error('HTTP Exception: 422'), { name: 'HttpClientException', statusCode: 422, apiError: { status: 422, errorCode: '14_018', message: 'Invalid payload' } });
    });
    const req = returning();
    const asked = await node.authorize(req, ctx());
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: asked.providerReference };
    expect(await node.completeAction({ ...address, returnData: { redirectResult: 'FORGED' } }, ctx())).toMatchObject({ state: 'requires_action' });
    expect(await node.status(address, ctx())).toMatchObject({ state: 'requires_action' });
    expect(calls.filter((c) => c.op === 'details')).toHaveLength(1);
  });

  it('void of an attempt waiting for the shopper reaches Adyen: /cancels by payment reference without a pspReference, by pspReference with one', async () => {
    const byReference = waiting(async () => ({}));
    const req = returning(false);
    const asked = await byReference.node.authorize(req, ctx());
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: asked.providerReference };
    expect(await byReference.node.capture({ ...address, operationId: `${req.attemptId}.capture`, amount: 1000, currency: 'EUR' }, ctx())).toMatchObject({ outcome: 'failed' });
    expect(await byReference.node.void({ ...address, operationId: `${req.attemptId}.void` }, ctx())).toMatchObject({ outcome: 'pending', providerReference: 'MOD' });
    expect(byReference.calls.at(-1)).toMatchObject({ op: 'cancelByReference', key: `${req.attemptId}.void`, body: { merchantAccount: 'CanopyTest', paymentReference: req.attemptId, reference: `${req.attemptId}.void` } });
    // Another process (empty journal): the reference the root holds is the attempt id, so the cancel goes by reference too.
    const restarted = waiting(async () => ({}));
    expect(await restarted.node.void({ ...address, operationId: `${req.attemptId}.void` }, ctx())).toMatchObject({ outcome: 'pending' });
    expect(restarted.calls.map((c) => c.op)).toEqual(['cancelByReference']);

    const byPsp = waiting(async () => ({}), true);
    const withPsp = returning(false);
    const pspAsked = await byPsp.node.authorize(withPsp, ctx());
    expect(pspAsked.providerReference).toBe('WAITPSP');
    expect(await byPsp.node.void({ path: ['ady'], attemptId: withPsp.attemptId, providerReference: 'WAITPSP', operationId: `${withPsp.attemptId}.void` }, ctx())).toMatchObject({ outcome: 'pending' });
    expect(byPsp.calls.at(-1)).toMatchObject({ op: 'cancel', key: `${withPsp.attemptId}.void` });
  });

  it('refuses before sending what Adyen accounting would refuse later, from the journal', async () => {
    const { calls, node } = recording(async () => ({ resultCode: 'Authorised', pspReference: 'PSP', status: 'received' }));
    const req = payment();
    await node.authorize(req, ctx());
    const address = { path: ['ady'], attemptId: req.attemptId, providerReference: 'PSP' };
    expect((await node.capture({ ...address, operationId: 'c1', amount: 1001, currency: 'EUR' }, ctx())).outcome).toBe('failed');
    expect((await node.refund({ ...address, operationId: 'r1', amount: 1, currency: 'EUR' }, ctx())).outcome).toBe('failed');
    expect((await node.capture({ ...address, operationId: 'c2', amount: 1000, currency: 'GBP' }, ctx())).outcome).toBe('failed');
    expect(calls.map((c) => c.op)).toEqual(['payments']);
  });

  it('reports Pending as unknown (settled by notification), and a native 3-D Secure action without returnUrl as declined authentication_required', async () => {
    const pending = recording(async () => ({ resultCode: 'Pending', pspReference: 'P' })).node;
    expect(await pending.authorize(payment(), ctx())).toMatchObject({ outcome: 'unknown', retryable: false });
    const challenge = recording(async () => ({ resultCode: 'ChallengeShopper', pspReference: 'P', action: { type: 'threeDS2' } })).node;
    expect(await challenge.authorize(payment(), ctx())).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false });
  });
});

describe('adyen node against the HTTPS fake, with injected faults', () => {
  let fake: AdyenFake;
  let node: AdyenNode;
  const status = (attemptId: string) => node.status({ path: ['ady'], attemptId, providerReference: null }, ctx());

  beforeAll(async () => {
    fake = await startAdyenFake({ apiKey: 'sekret-key-123', merchantAccount: 'CanopyTest' });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.server.clearFaults();
    const parsed = parseAdyenOptions({ api_key_env: 'K', merchant_account: 'CanopyTest', api_base: fake.url }).options;
    node = new AdyenNode('ady', parsed, { checkout: createAdyenCheckout(parsed, 'sekret-key-123') });
  });

  it('sends X-API-Key and Idempotency-Key over HTTPS, the attempt id as reference', async () => {
    const req = payment();
    expect((await node.authorize(req, ctx())).outcome).toBe('approved');
    const sent = fake.server.requests.at(-1)!;
    expect(sent.headers['idempotency-key']).toBe(req.attemptId);
    expect(sent.headers['x-api-key']).toBe('sekret-key-123');
    expect(JSON.parse(sent.body)).toMatchObject({ reference: req.attemptId, merchantOrderReference: req.paymentId });
  });

  it('500 before processing → unknown; status proves nothing was stored: not_found', async () => {
    fake.server.inject({ kind: 'error-before', status: 500, body: { status: 500, errorCode: '905', message: 'Internal error', errorType: 'internal' } });
    const req = payment();
    expect(await node.authorize(req, ctx())).toMatchObject({ outcome: 'unknown', code: 'provider_unavailable', retryable: false });
    expect(await status(req.attemptId)).toMatchObject({ state: 'not_found', amountAuthorized: 0 });
  });

  it('500 after processing → unknown; status replays the stored answer: approved', async () => {
    fake.server.inject({ kind: 'error-after', status: 500 });
    const req = payment();
    expect((await node.authorize(req, ctx())).outcome).toBe('unknown');
    expect(await status(req.attemptId)).toMatchObject({ state: 'approved', amountAuthorized: 1000 });
  });

  it('connection reset after sending → unknown; status: approved', async () => {
    fake.server.inject({ kind: 'reset-after' });
    const req = payment();
    expect(await node.authorize(req, ctx())).toMatchObject({ outcome: 'unknown', retryable: false });
    expect((await status(req.attemptId)).state).toBe('approved');
  });

  it('slow past the deadline → unknown provider_timeout within the deadline', async () => {
    fake.server.inject({ kind: 'slow', delayMs: 2000 });
    const started = Date.now();
    expect(await node.authorize(payment(), ctx(200))).toMatchObject({ outcome: 'unknown', code: 'provider_timeout' });
    expect(Date.now() - started).toBeLessThan(1200);
  });

  it.each([
    [401, 'provider_unavailable'],
    [403, 'provider_unavailable'],
    [422, 'processing_error'],
    [429, 'provider_unavailable'],
  ])('HTTP %i before processing → failed %s, retryable', async (code, unified) => {
    fake.server.inject({ kind: 'error-before', status: code, body: { status: code, errorCode: '000', message: 'refused', errorType: 'validation' } });
    expect(await node.authorize(payment(), ctx())).toMatchObject({ outcome: 'failed', code: unified, retryable: true });
  });

  it('a wrong API key → failed retryable, and the key is in no answer, description or health', async () => {
    const parsed = parseAdyenOptions({ api_key_env: 'K', merchant_account: 'CanopyTest', api_base: fake.url }).options;
    const wrong = new AdyenNode('ady', parsed, { checkout: createAdyenCheckout(parsed, 'wrong-key-456') });
    const outcome = await wrong.authorize(payment(), ctx());
    expect(outcome).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
    const everything = JSON.stringify([outcome, wrong.describe(), await wrong.health(), await node.health(), node.describe()]);
    expect(everything).not.toMatch(/wrong-key-456|sekret-key-123/);
  });

  it('down → failed provider_unavailable (nothing sent), health down; up again → up', async () => {
    await fake.server.down();
    try {
      expect(await node.authorize(payment(), ctx())).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
      expect((await node.health()).status).toBe('down');
    } finally {
      await fake.server.up();
    }
    expect((await node.authorize(payment(), ctx())).outcome).toBe('approved');
    expect((await node.health()).status).toBe('up');
  });

  it('the 3-D Secure test card without returnUrl → declined authentication_required (never asks; never failed over)', async () => {
    expect(await node.authorize(payment('4917610000000000'), ctx())).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false });
  });
});

describe('adyen node over plain http:// (api_base http, the minimal ClientInterface)', () => {
  it('authorizes, replays by key and maps Adyen error bodies the same way', async () => {
    const fake = await startAdyenFake({ apiKey: 'plain-key', merchantAccount: 'CanopyTest', tls: false });
    try {
      expect(fake.url).toMatch(/^http:\/\//);
      const parsed = parseAdyenOptions({ api_key_env: 'K', merchant_account: 'CanopyTest', api_base: fake.url }).options;
      const node = new AdyenNode('ady', parsed, { checkout: createAdyenCheckout(parsed, 'plain-key') });
      const req = payment();
      const first = await node.authorize(req, ctx());
      expect(first).toMatchObject({ outcome: 'approved' });
      expect(fake.server.requests.at(-1)!.headers['idempotency-key']).toBe(req.attemptId);
      expect(await node.status({ path: ['ady'], attemptId: 'att_plain_never_1', providerReference: null }, ctx())).toMatchObject({ state: 'not_found' });
      const captured = await node.capture({ path: ['ady'], attemptId: req.attemptId, providerReference: first.providerReference, operationId: 'cap_p', amount: 1000, currency: 'EUR' }, ctx());
      // No hmac_key_env: Adyen's `received` is all there is.
      expect(captured).toMatchObject({ outcome: 'succeeded' });
      expect(await node.status({ path: ['ady'], attemptId: req.attemptId, providerReference: null }, ctx())).toMatchObject({ state: 'approved', amountCaptured: 1000 });
      const wrong = new AdyenNode('ady', parsed, { checkout: createAdyenCheckout(parsed, 'nope') });
      expect(await wrong.authorize(payment(), ctx())).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
    } finally {
      await fake.close();
    }
  });
});

describe('adyen adapter type', () => {
  it('fails to start with one line naming the node and the missing variable', () => {
    vi.stubEnv('CANOPY_TEST_ADYEN_MISSING', '');
    expect(() => adyenAdapter.create('adyen-eu', { api_key_env: 'CANOPY_TEST_ADYEN_MISSING', merchant_account: 'M' })).toThrow(
      /^adyen adyen-eu: environment variable CANOPY_TEST_ADYEN_MISSING is not set/,
    );
    vi.unstubAllEnvs();
  });

  it('hmac_key_env names a variable that must hold a hex key; the node then takes notifications', async () => {
    vi.stubEnv('CANOPY_TEST_ADYEN_K', 'key');
    vi.stubEnv('CANOPY_TEST_ADYEN_HMAC', 'not-hex');
    expect(() => adyenAdapter.create('adyen-eu', { api_key_env: 'CANOPY_TEST_ADYEN_K', merchant_account: 'M', hmac_key_env: 'CANOPY_TEST_ADYEN_HMAC' })).toThrow(
      /^adyen adyen-eu: environment variable CANOPY_TEST_ADYEN_HMAC does not hold a hex key/,
    );
    expect(() => adyenAdapter.create('adyen-eu', { api_key_env: 'CANOPY_TEST_ADYEN_K', merchant_account: 'M', hmac_key_env: 'CANOPY_TEST_ADYEN_NO_HMAC' })).toThrow(/CANOPY_TEST_ADYEN_NO_HMAC is not set/);
    vi.stubEnv('CANOPY_TEST_ADYEN_HMAC', 'ab'.repeat(32));
    const node = adyenAdapter.create('adyen-eu', { api_key_env: 'CANOPY_TEST_ADYEN_K', merchant_account: 'M', hmac_key_env: 'CANOPY_TEST_ADYEN_HMAC' });
    expect(await node.parseNotification({ nodeId: 'adyen-eu', body: '{}', headers: {} }, ctx())).toMatchObject({ ok: false, reason: 'malformed' });
    const without = adyenAdapter.create('adyen-eu', { api_key_env: 'CANOPY_TEST_ADYEN_K', merchant_account: 'M' });
    expect(await without.parseNotification({ nodeId: 'adyen-eu', body: '{}', headers: {} }, ctx())).toMatchObject({ ok: false, reason: 'not_supported' });
    vi.unstubAllEnvs();
  });

  it('builds one client per node (different accounts side by side) and never describes its key', () => {
    vi.stubEnv('CANOPY_TEST_ADYEN_A', 'key-a-secret');
    vi.stubEnv('CANOPY_TEST_ADYEN_B', 'key-b-secret');
    const a = adyenAdapter.create('a', { api_key_env: 'CANOPY_TEST_ADYEN_A', merchant_account: 'AccountA' });
    const b = adyenAdapter.create('b', { api_key_env: 'CANOPY_TEST_ADYEN_B', merchant_account: 'AccountB', environment: 'live', live_url_prefix: 'abc-Company' });
    expect(JSON.stringify([a.describe(), b.describe()])).not.toMatch(/secret/);
    expect(() => adyenAdapter.create('c', { api_key_env: 'CANOPY_TEST_ADYEN_A', merchant_account: 'M', environment: 'live' })).toThrow(/adyen c: .*live_url_prefix/);
    vi.unstubAllEnvs();
  });
});
