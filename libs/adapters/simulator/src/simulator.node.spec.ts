import { attemptIdFor, contextWithTimeout, type AuthorizeRequest, type NodeContext } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { simulatorAdapter } from './simulator.adapter.js';
import { SimulatorNode, type SimulatorDeps } from './simulator.node.js';
import { parseSimulatorOptions } from './simulator.options.js';
import { cardRequest } from '../test-support/card-request.js';

const APPROVED = '4242424242424242';
const TIMEOUT_CARD = '4000000000000101';

const ctx = (ms = 2000): NodeContext => contextWithTimeout(ms, { traceId: 'test' });

function sim(options: Record<string, unknown> = {}, deps: SimulatorDeps = {}): SimulatorNode {
  return new SimulatorNode('sim', parseSimulatorOptions(options).options, deps);
}

const authReq = (number = APPROVED, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest => cardRequest(number, over);

const address = (attemptId = attemptIdFor('pay_1', 1)) => ({ path: ['sim'], attemptId, providerReference: null });
const capture = (operationId: string, amount: number) => ({ ...address(), operationId, amount, currency: 'EUR' });
const refund = (operationId: string, amount: number) => ({ ...address(), operationId, amount, currency: 'EUR' });

async function timed<T>(work: Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work;
  return [result, Date.now() - started];
}

describe('simulator: test cards', () => {
  it.each([
    ['4242424242424242', 'approved', null, false],
    ['5555555555554444', 'approved', null, false],
    ['4111111111111111', 'approved', null, false],
    ['4000000000000002', 'declined', 'card_declined', false],
    ['4000000000009995', 'declined', 'insufficient_funds', false],
    ['4000000000000069', 'declined', 'expired_card', false],
    ['4000000000000119', 'failed', 'processing_error', true],
    ['4242424242424241', 'declined', 'invalid_card_number', false],
  ])('%s → %s %s (retryable %s)', async (number, outcome, code, retryable) => {
    const result = await sim().authorize(authReq(number), ctx());
    expect(result).toMatchObject({ outcome, code, retryable, path: ['sim'], amountCaptured: 0 });
    expect(JSON.stringify(result)).not.toContain(number);
  });

  it('returns one attempt record: path [id], empty reason, measured latency', async () => {
    const result = await sim().authorize(authReq(APPROVED, { attemptSeq: 3, attemptId: 'att_1_3' }), ctx());
    expect(result.attempts).toEqual([
      { attemptId: 'att_1_3', attemptSeq: 3, path: ['sim'], outcome: 'approved', code: null, reason: '', latencyMs: expect.any(Number), providerReference: result.providerReference },
    ]);
    expect(result.providerReference).toMatch(/^simch_/);
  });

  it('captures in the same call when asked', async () => {
    const node = sim();
    expect(await node.authorize(authReq(APPROVED, { capture: true }), ctx())).toMatchObject({ outcome: 'approved', amountCaptured: 1000 });
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'approved', amountAuthorized: 1000, amountCaptured: 1000 });
  });

  it('the timeout card charges, then answers unknown only when the signal aborts; status says approved', async () => {
    const node = sim();
    const [result, elapsed] = await timed(node.authorize(authReq(TIMEOUT_CARD), ctx(60)));
    expect(result).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false });
    expect(elapsed).toBeGreaterThanOrEqual(50);
    expect(elapsed).toBeLessThan(1000);
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'approved', amountAuthorized: 1000 });
  });

  it('an unsupported currency fails retryably and charges nothing', async () => {
    const node = sim();
    expect(await node.authorize(authReq(APPROVED, { currency: 'JPY' }), ctx())).toMatchObject({
      outcome: 'failed',
      code: 'currency_not_supported',
      retryable: true,
    });
    expect((await node.status(address(), ctx())).state).toBe('not_found');
  });

  it('an unserved customer country fails retryably', async () => {
    const result = await sim({ countries: ['DE'] }).authorize(authReq(APPROVED, { customerCountry: 'FR' }), ctx());
    expect(result).toMatchObject({ outcome: 'failed', code: 'no_route', retryable: true });
  });
});

describe('simulator: idempotency', () => {
  it('the same attempt id charges once and answers the same', async () => {
    const node = sim();
    const first = await node.authorize(authReq(APPROVED, { capture: true }), ctx());
    const second = await node.authorize(authReq(APPROVED, { capture: true }), ctx());
    expect(second).toMatchObject({ outcome: 'approved', providerReference: first.providerReference, amountCaptured: 1000 });
    expect(await node.status(address(), ctx())).toMatchObject({ amountAuthorized: 1000, amountCaptured: 1000 });
  });

  it('a replayed decline stays declined', async () => {
    const node = sim();
    await node.authorize(authReq('4000000000000002'), ctx());
    expect(await node.authorize(authReq('4000000000000002'), ctx())).toMatchObject({ outcome: 'declined', code: 'card_declined' });
  });

  it('a replay of the timeout card answers from the ledger: approved, same charge', async () => {
    const node = sim();
    const first = await node.authorize(authReq(TIMEOUT_CARD), ctx(20));
    const replay = await node.authorize(authReq(TIMEOUT_CARD), ctx());
    expect(first.outcome).toBe('unknown');
    expect(replay).toMatchObject({ outcome: 'approved' });
    expect(replay.providerReference).toBe((await node.status(address(), ctx())).providerReference);
  });

  it('an attempt id reused for another amount is refused, not retryable', async () => {
    const node = sim();
    await node.authorize(authReq(), ctx());
    expect(await node.authorize(authReq(APPROVED, { amount: 5 }), ctx())).toMatchObject({ outcome: 'failed', code: 'processing_error', retryable: false });
  });

  it('capture, void and refund replay per operation id', async () => {
    const node = sim();
    await node.authorize(authReq(), ctx());
    const first = await node.capture(capture('op_c', 600), ctx());
    expect(await node.capture(capture('op_c', 600), ctx())).toEqual(first);
    const refunded = await node.refund(refund('op_r', 100), ctx());
    expect(await node.refund(refund('op_r', 100), ctx())).toEqual(refunded);
    expect(await node.status(address(), ctx())).toMatchObject({ amountCaptured: 600, amountRefunded: 100 });

    const other = sim();
    await other.authorize(authReq(), ctx());
    const voided = await other.void({ ...address(), operationId: 'op_v' }, ctx());
    expect(await other.void({ ...address(), operationId: 'op_v' }, ctx())).toEqual(voided);
    expect(voided.outcome).toBe('succeeded');
  });

  it('an operation id reused for a different operation is refused', async () => {
    const node = sim();
    await node.authorize(authReq(), ctx());
    await node.capture(capture('op_1', 1000), ctx());
    expect(await node.refund(refund('op_1', 100), ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('op_1') });
    expect((await node.status(address(), ctx())).amountRefunded).toBe(0);
  });
});

describe('simulator: capture, void, refund rules', () => {
  async function authorized(over: Partial<AuthorizeRequest> = {}) {
    const node = sim();
    await node.authorize(authReq(APPROVED, over), ctx());
    return node;
  }

  it('captures partially, once', async () => {
    const node = await authorized();
    expect(await node.capture(capture('c1', 400), ctx())).toMatchObject({ outcome: 'succeeded', code: null });
    expect(await node.capture(capture('c2', 100), ctx())).toMatchObject({ outcome: 'failed', code: 'processing_error', message: expect.stringContaining('already captured') });
    expect(await node.status(address(), ctx())).toMatchObject({ amountAuthorized: 1000, amountCaptured: 400 });
  });

  it('refuses a capture above the authorized amount, or in another currency, and changes nothing', async () => {
    const node = await authorized();
    expect(await node.capture(capture('c1', 1001), ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('exceeds') });
    expect(await node.capture({ ...capture('c2', 100), currency: 'USD' }, ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('currency') });
    expect(await node.capture(capture('c3', 0), ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('positive') });
    expect((await node.status(address(), ctx())).amountCaptured).toBe(0);
  });

  it('refuses follow-ups on an unknown, declined, or mismatched attempt', async () => {
    const node = sim();
    expect(await node.capture(capture('c1', 100), ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('no authorization') });
    await node.authorize(authReq('4000000000000002'), ctx());
    expect(await node.capture(capture('c2', 100), ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('declined') });
    const other = await authorized();
    expect(await other.capture({ ...capture('c3', 100), providerReference: 'simch_nope' }, ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('simch_nope') });
  });

  it('refuses a path that does not address the leaf', async () => {
    const node = await authorized();
    expect(await node.capture({ ...capture('c1', 100), path: ['root', 'sim'] }, ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('root/sim') });
    expect((await node.status({ ...address(), path: ['other'] }, ctx())).state).toBe('unknown');
  });

  it('voids only an uncaptured authorization', async () => {
    const node = await authorized();
    expect(await node.void({ ...address(), operationId: 'v1' }, ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await node.status(address(), ctx())).toMatchObject({ voided: true });
    expect(await node.capture(capture('c1', 100), ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('voided') });
    expect(await node.void({ ...address(), operationId: 'v2' }, ctx())).toMatchObject({ outcome: 'failed' });

    const captured = await authorized({ capture: true });
    expect(await captured.void({ ...address(), operationId: 'v3' }, ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('captured') });
    expect((await captured.status(address(), ctx())).voided).toBe(false);
  });

  it('allows several refunds up to the captured amount', async () => {
    const node = await authorized();
    await node.capture(capture('c1', 800), ctx());
    expect(await node.refund(refund('r1', 300), ctx())).toMatchObject({ outcome: 'succeeded', providerReference: expect.stringMatching(/^simre_/) });
    expect(await node.refund(refund('r2', 500), ctx())).toMatchObject({ outcome: 'succeeded' });
    expect(await node.refund(refund('r3', 1), ctx())).toMatchObject({ outcome: 'failed', message: expect.stringContaining('refundable 0') });
    expect((await node.status(address(), ctx())).amountRefunded).toBe(800);
  });

  it('refuses a refund before capture', async () => {
    const node = await authorized();
    expect(await node.refund(refund('r1', 1), ctx())).toMatchObject({ outcome: 'failed' });
  });

  it('status of an attempt never seen is not_found', async () => {
    expect(await sim().status(address('att_x_1'), ctx())).toMatchObject({ state: 'not_found', amountAuthorized: 0 });
  });
});

describe('simulator: faults', () => {
  it('down refuses every call before anything is charged', async () => {
    const node = sim();
    node.faults.setFault({ mode: 'down' });
    expect(await node.authorize(authReq(), ctx())).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
    expect(await node.status(address(), ctx())).toMatchObject({ state: 'unknown', code: 'provider_unavailable' });
    expect(await node.capture(capture('c1', 1), ctx())).toMatchObject({ outcome: 'failed', code: 'provider_unavailable' });
    expect(await node.quote({ amount: 1000, currency: 'EUR', method: 'card', paymentId: 'pay_1' }, ctx())).toMatchObject({ eligible: false });
    expect(await node.health(ctx())).toMatchObject({ id: 'sim', status: 'down' });
    node.faults.clearFault();
    expect((await node.status(address(), ctx())).state).toBe('not_found');
    expect(await node.health(ctx())).toEqual({ id: 'sim', status: 'up' });
  });

  it('down refuses a capture without changing the ledger', async () => {
    const node = sim();
    await node.authorize(authReq(), ctx());
    node.faults.setFault({ mode: 'down' });
    await node.capture(capture('c1', 1000), ctx());
    node.faults.clearFault();
    expect((await node.status(address(), ctx())).amountCaptured).toBe(0);
    expect(await node.capture(capture('c1', 1000), ctx())).toMatchObject({ outcome: 'succeeded' });
  });

  it('error answers processing_error without charging; the same attempt id charges once the fault clears', async () => {
    const node = sim();
    node.faults.setFault({ mode: 'error' });
    expect(await node.authorize(authReq(), ctx())).toMatchObject({ outcome: 'failed', code: 'processing_error', retryable: true });
    expect(await node.refund(refund('r1', 1), ctx())).toMatchObject({ outcome: 'failed', code: 'processing_error' });
    node.faults.clearFault();
    expect((await node.status(address(), ctx())).state).toBe('not_found');
    expect((await node.authorize(authReq(), ctx())).outcome).toBe('approved');
  });

  it('timeout charges, answers unknown at the abort, and status waits for the abort too', async () => {
    const node = sim();
    node.faults.setFault({ mode: 'timeout' });
    const [result, elapsed] = await timed(node.authorize(authReq(), ctx(50)));
    expect(result).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false });
    expect(elapsed).toBeGreaterThanOrEqual(40);
    const [status, statusElapsed] = await timed(node.status(address(), ctx(50)));
    expect(status).toMatchObject({ state: 'unknown', code: 'provider_timeout' });
    expect(statusElapsed).toBeGreaterThanOrEqual(40);
    node.faults.clearFault();
    expect((await node.status(address(), ctx())).state).toBe('approved');
  });

  it('timeout applies a capture but its reply never arrives', async () => {
    const node = sim();
    await node.authorize(authReq(), ctx());
    node.faults.setFault({ mode: 'timeout' });
    expect(await node.capture(capture('c1', 1000), ctx(30))).toMatchObject({ outcome: 'unknown', code: 'provider_timeout' });
    node.faults.clearFault();
    expect((await node.status(address(), ctx())).amountCaptured).toBe(1000);
  });

  it('slow answers correctly after its latency', async () => {
    const node = sim();
    node.faults.setFault({ mode: 'slow', latencyMs: 40 });
    const [result, elapsed] = await timed(node.authorize(authReq(), ctx()));
    expect(result.outcome).toBe('approved');
    expect(elapsed).toBeGreaterThanOrEqual(35);
  });

  it('slow aborted before its latency answers unknown and has charged nothing', async () => {
    const node = sim();
    node.faults.setFault({ mode: 'slow', latencyMs: 10_000 });
    const [result, elapsed] = await timed(node.authorize(authReq(), ctx(30)));
    expect(result).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false });
    expect(elapsed).toBeLessThan(1000);
    node.faults.clearFault();
    expect((await node.status(address(), ctx())).state).toBe('not_found');
  });

  it('the latency_ms option delays every call and honours the abort', async () => {
    const node = sim({ latency_ms: 10_000 });
    const [result, elapsed] = await timed(node.authorize(authReq(), ctx(30)));
    expect(result.outcome).toBe('unknown');
    expect(elapsed).toBeLessThan(1000);
  });

  it('rate 0 never applies, rate 1 always, a partial rate per draw', async () => {
    const draws = [0.2, 0.8];
    const node = sim({}, { random: () => draws.shift() ?? 0.99 });
    node.faults.setFault({ mode: 'down', rate: 0 });
    expect((await node.authorize(authReq(APPROVED, { attemptId: 'a1' }), ctx())).outcome).toBe('approved');
    expect((await node.health(ctx())).status).toBe('up');
    node.faults.setFault({ mode: 'down', rate: 0.5 });
    expect((await node.health(ctx())).status).toBe('degraded');
    expect((await node.authorize(authReq(APPROVED, { attemptId: 'a2' }), ctx())).code).toBe('provider_unavailable');
    expect((await node.authorize(authReq(APPROVED, { attemptId: 'a3' }), ctx())).outcome).toBe('approved');
    node.faults.setFault({ mode: 'down', rate: 1 });
    for (let i = 0; i < 20; i++) expect((await node.authorize(authReq(APPROVED, { attemptId: `b${i}` }), ctx())).code).toBe('provider_unavailable');
  });

  it('exposes and validates the current fault', () => {
    const node = sim();
    expect(node.faults.currentFault()).toBeNull();
    node.faults.setFault({ mode: 'slow', latencyMs: 5, rate: 0.5 });
    expect(node.faults.currentFault()).toEqual({ mode: 'slow', latencyMs: 5, rate: 0.5 });
    expect(() => node.faults.setFault({ mode: 'slow', rate: 2 })).toThrow(/rate/);
    expect(() => node.faults.setFault({ mode: 'melt' as never })).toThrow(/mode/);
    expect(() => node.faults.setFault({ mode: 'slow', latencyMs: -1 })).toThrow(/latencyMs/);
    node.faults.clearFault();
    expect(node.faults.currentFault()).toBeNull();
  });

  it('a call whose signal has already aborted is not sent and is retryable', async () => {
    const node = sim();
    const aborted = { ...ctx(), signal: AbortSignal.abort() };
    expect(await node.authorize(authReq(TIMEOUT_CARD), aborted)).toMatchObject({ outcome: 'failed', code: 'provider_timeout', retryable: true });
    expect((await node.status(address(), ctx())).state).toBe('not_found');
  });
});

describe('simulator: quote, health, describe, adapter type', () => {
  it('quotes fee_fixed + ceil(amount × bps / 10000) when eligible', async () => {
    const node = sim({ fee_bps: 180, fee_fixed: 5 });
    expect(await node.quote({ amount: 1001, currency: 'EUR', method: 'card', paymentId: 'p' }, ctx())).toMatchObject({ eligible: true, fee: 5 + 19, path: ['sim'] });
    expect(await node.quote({ amount: 1000, currency: 'JPY', method: 'card', paymentId: 'p' }, ctx())).toMatchObject({ eligible: false, reason: expect.stringContaining('JPY') });
  });

  it('describes itself from its options', () => {
    expect(sim({ currencies: ['EUR'], countries: ['DE'] }).describe()).toEqual({
      id: 'sim',
      kind: 'adapter',
      type: 'simulator',
      capabilities: { currencies: ['EUR'], paymentMethods: ['card'], countries: ['DE'], partialCapture: true, multipleRefunds: true },
    });
  });

  it('is registered as type simulator, validates and creates', () => {
    expect(simulatorAdapter.type).toBe('simulator');
    expect(simulatorAdapter.validateOptions({ fee_bps: 'x' })).toEqual(['options.fee_bps must be a non-negative integer']);
    const node = simulatorAdapter.create('sim-x', { fee_bps: 150 });
    expect(node.id).toBe('sim-x');
    expect(node.faults).toBeDefined();
    expect(() => simulatorAdapter.create('bad', { fee_bps: -1 })).toThrow(/options.fee_bps/);
  });
});
