import { describe, expect, it } from 'vitest';
import { attemptIdFor, type AttemptRecord, type AuthorizeOutcome, type AuthorizeRequest } from '#gateway-spi';
import type { Payment } from '#persistence';
import { Refusal } from '../../common/refusal.js';
import { refusalToApiError } from '../../errors/refusal-to-api-error.js';
import type { CreatePaymentCommand } from '../domain/commands.js';
import type { PaymentWithAttempts } from '../domain/payment.js';
import { CONFIG, FakeKey, FakePaymentWrites, fakeStats, fakeTree, KeyTakenByAnotherRequest, MERCHANT, TRACE } from '../test-support/fakes.js';
import { PlanCharge } from './charge-plan.js';
import { CreatePayment } from './create-payment.js';

const CARD = '4242424242424242';
const CVC = '737';
const ROUTE = ['root', 'eu', 'sim-alpha'];

function setup(overrides: Partial<Omit<CreatePaymentCommand, 'key'>> = {}) {
  const { root, tree } = fakeTree();
  const { record, stats } = fakeStats();
  const writes = new FakePaymentWrites();
  const key = new FakeKey<PaymentWithAttempts>();
  // A card sent as is, saving nothing: neither the vault nor saved methods are asked.
  const unused = new Proxy({}, { get: (_, name) => { throw new Error(`not expected here: ${String(name)}`); } }) as never;
  const useCase = new CreatePayment(tree, CONFIG, writes.writes, stats, new PlanCharge(unused, unused, unused), unused);
  const command: CreatePaymentCommand = {
    merchantId: MERCHANT,
    cascadeOptIn: false,
    traceId: TRACE,
    amount: 2500,
    currency: 'eur',
    capture: true,
    source: { kind: 'card', card: { number: CARD, expMonth: 12, expYear: 2030, cvc: CVC } },
    customerId: null,
    setupFutureUsage: false,
    offSession: false,
    customerCountry: 'FR',
    description: 'Order 42',
    metadata: { order: '42' },
    returnUrl: null,
    key,
    ...overrides,
  };
  return { root, record, writes, key, execute: () => useCase.execute(command) };
}

function attempt(request: AuthorizeRequest, seq: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    attemptId: attemptIdFor(request.paymentId, seq),
    attemptSeq: seq,
    path: ROUTE,
    outcome: 'approved',
    code: null,
    reason: 'rule currency∈[EUR] → eu',
    latencyMs: 12.6,
    providerReference: 'psp_9',
    ...overrides,
  };
}

/** The tree answers `outcome` for whatever it is asked, with one attempt by default. */
function answers(root: ReturnType<typeof fakeTree>['root'], outcome: Partial<AuthorizeOutcome> | ((request: AuthorizeRequest) => Partial<AuthorizeOutcome>)) {
  root.authorize.mockImplementation(async (request) => {
    const given = typeof outcome === 'function' ? outcome(request) : outcome;
    return {
      outcome: 'approved',
      code: null,
      message: null,
      retryable: false,
      providerReference: 'psp_9',
      path: ROUTE,
      amountCaptured: given.outcome === undefined || given.outcome === 'approved' ? (request.capture ? request.amount : 0) : 0,
      attempts: [attempt(request, 1, { outcome: given.outcome ?? 'approved', code: given.code ?? null })],
      ...given,
    };
  });
}

/** Every string found anywhere in `value` (keys included), to look for card data. */
function strings(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') found.push(value);
  else if (Array.isArray(value)) value.forEach((item) => strings(item, found));
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      found.push(key);
      strings(item, found);
    }
  }
  return found;
}

describe('CreatePayment', () => {
  it('refuses a card number that fails the Luhn check before claiming anything', async () => {
    const { root, writes, key, execute } = setup({ source: { kind: 'card', card: { number: '4242424242424241', expMonth: 12, expYear: 2030, cvc: CVC } } });

    const result = await execute();

    expect(result).toBeInstanceOf(Refusal);
    expect(result).toMatchObject({ kind: 'invalid', code: 'invalid_card_number', param: 'payment_method.card.number' });
    expect(refusalToApiError(result as Refusal).status).toBe(400);
    expect(key.claims).toHaveLength(0);
    expect(writes.recordPending).not.toHaveBeenCalled();
    expect(root.authorize).not.toHaveBeenCalled();
  });

  it('claims the key for the payment with the payment pending: upper-cased currency, masked card, orphan schedule', async () => {
    const { root, writes, key, execute } = setup();
    answers(root, {});

    await execute();

    expect(writes.recordPending).toHaveBeenCalledTimes(1);
    const [pending, gate] = writes.recordPending.mock.calls[0]!;
    expect(gate).toBe('claimed');
    expect(key.claims).toHaveLength(1);
    expect(key.claims[0]!.resourceId).toBe(pending.id);
    expect(key.claims[0]!.unit.writes).toEqual(writes.recordPending.mock.results[0]!.value);
    expect(pending.id).toMatch(/^pay_/);
    expect(pending).toMatchObject({
      merchantId: MERCHANT,
      status: 'pending',
      amount: 2500,
      amountCaptured: 0,
      amountRefunded: 0,
      currency: 'EUR',
      capture: true,
      methodType: 'card',
      cardBrand: 'visa',
      cardBin: '424242',
      cardLast4: '4242',
      cardExpMonth: 12,
      cardExpYear: 2030,
      customerCountry: 'FR',
      description: 'Order 42',
      metadata: { order: '42' },
      routePath: null,
      holdingAttemptId: null,
      operationInFlight: null,
    });
    // Reconciliation takes it over only if this request never records its outcome.
    expect(pending.nextCheckAt!.getTime() - pending.createdAt.getTime()).toBe(5000 + 60_000);
    expect(pending.updatedAt).toEqual(pending.createdAt);
  });

  it('never writes or answers the full card number or the CVC; only the tree call carries them', async () => {
    const { root, writes, key, execute } = setup();
    answers(root, {});

    const result = await execute();

    const written = strings([writes.recordPending.mock.calls, writes.recordOutcome.mock.calls, key.completions, result]);
    expect(written.length).toBeGreaterThan(50);
    expect(written.filter((s) => s.includes(CARD) || s === CVC || s === 'cvc' || s === 'number')).toEqual([]);
    expect(written).toContain('4242');
    // The number and CVC go to the tree, and nowhere else.
    const [request] = root.authorize.mock.calls[0]!;
    expect(request.paymentMethod).toEqual({
      type: 'card',
      card: { number: CARD, expMonth: 12, expYear: 2030, cvc: CVC },
      display: { brand: 'visa', bin: '424242', last4: '4242', expMonth: 12, expYear: 2030 },
    });
  });

  it('asks the tree to authorize the claimed payment with its first, deterministic attempt id', async () => {
    const { root, key, execute } = setup({ capture: false, customerCountry: null });
    answers(root, {});
    const before = Date.now();

    await execute();

    expect(root.authorize).toHaveBeenCalledTimes(1);
    const [request, ctx] = root.authorize.mock.calls[0]!;
    const paymentId = key.claims[0]!.resourceId;
    expect(request).toMatchObject({
      paymentId,
      attemptId: attemptIdFor(paymentId, 1),
      attemptSeq: 1,
      merchantId: MERCHANT,
      amount: 2500,
      currency: 'EUR',
      capture: false,
      customerCountry: undefined,
      metadata: { order: '42' },
    });
    expect(ctx.traceId).toBe(TRACE);
    expect(ctx.deadline).toBeGreaterThanOrEqual(before + 5000);
    expect(ctx.deadline).toBeLessThanOrEqual(Date.now() + 5000);
  });

  it('approved with capture: completes captured with its route, attempts and pending → authorized → captured', async () => {
    const { root, writes, key, execute } = setup();
    // A failover: the first leaf failed, its sibling approved.
    answers(root, (request) => ({
      attempts: [
        attempt(request, 1, { path: ['root', 'eu', 'sim-beta'], outcome: 'failed', code: 'processing_error', providerReference: null, latencyMs: 3.4 }),
        attempt(request, 2, { latencyMs: 20.5 }),
      ],
    }));

    const result = (await execute()) as PaymentWithAttempts;

    const paymentId = key.claims[0]!.resourceId;
    expect(result).toMatchObject({
      id: paymentId,
      status: 'captured',
      amount: 2500,
      amountCaptured: 2500,
      routePath: 'root/eu/sim-alpha',
      holdingAttemptId: attemptIdFor(paymentId, 2),
      providerReference: 'psp_9',
      declineCode: null,
      failureMessage: null,
      nextCheckAt: null,
    });
    expect(result.attempts).toEqual([
      expect.objectContaining({ id: attemptIdFor(paymentId, 1), paymentId, seq: 1, path: 'root/eu/sim-beta', outcome: 'failed', code: 'processing_error', latencyMs: 3 }),
      expect.objectContaining({ id: attemptIdFor(paymentId, 2), paymentId, seq: 2, path: 'root/eu/sim-alpha', outcome: 'approved', code: null, latencyMs: 21, providerReference: 'psp_9' }),
    ]);
    expect(result.attempts.every((row) => row.createdAt.getTime() === result.updatedAt.getTime())).toBe(true);

    // The outcome, its attempts and events are the completion's unit, with the answer.
    expect(writes.recordOutcome).toHaveBeenCalledTimes(1);
    const [settled, attempts, changes] = writes.recordOutcome.mock.calls[0]!;
    const { attempts: answered, ...payment } = result;
    expect(settled).toEqual(payment satisfies Payment);
    expect(attempts).toEqual(answered);
    const data = { route_path: 'root/eu/sim-alpha', code: null };
    expect(changes).toEqual([
      { from: 'pending', to: 'authorized', data },
      { from: 'authorized', to: 'captured', data: { ...data, amount: 2500 } },
    ]);
    expect(key.completions).toHaveLength(1);
    expect(key.completions[0]!.unit).toBe(writes.recordOutcome.mock.results[0]!.value);
    expect(key.completions[0]!.result).toBe(result);
    expect(key.releases).toHaveLength(0);
  });

  it('approved without capture: completes authorized, nothing captured', async () => {
    const { root, writes, execute } = setup({ capture: false });
    answers(root, {});

    const result = (await execute()) as PaymentWithAttempts;

    expect(result).toMatchObject({ status: 'authorized', amountCaptured: 0, capture: false, routePath: 'root/eu/sim-alpha', nextCheckAt: null });
    expect(writes.recordOutcome.mock.calls[0]![2]).toEqual([{ from: 'pending', to: 'authorized', data: { route_path: 'root/eu/sim-alpha', code: null } }]);
  });

  it('declined: completes declined with the decline code and the failure message', async () => {
    const { root, writes, key, execute } = setup();
    answers(root, { outcome: 'declined', code: 'insufficient_funds', message: 'Insufficient funds.', providerReference: 'psp_d' });

    const result = (await execute()) as PaymentWithAttempts;

    expect(result).toMatchObject({ status: 'declined', declineCode: 'insufficient_funds', failureMessage: 'Insufficient funds.', amountCaptured: 0, nextCheckAt: null });
    expect(writes.recordOutcome.mock.calls[0]![2]).toEqual([
      { from: 'pending', to: 'declined', data: { route_path: 'root/eu/sim-alpha', code: 'insufficient_funds' } },
    ]);
    expect(key.completions[0]!.result).toBe(result);
  });

  it('failed: completes failed with its code', async () => {
    const { root, writes, execute } = setup();
    answers(root, { outcome: 'failed', code: 'no_route', message: 'No route takes this payment.', path: [] });

    const result = (await execute()) as PaymentWithAttempts;

    expect(result).toMatchObject({ status: 'failed', declineCode: 'no_route', failureMessage: 'No route takes this payment.', routePath: null });
    expect(writes.recordOutcome.mock.calls[0]![2]).toEqual([{ from: 'pending', to: 'failed', data: { route_path: '', code: 'no_route' } }]);
  });

  it('unknown: completes pending, scheduled for reconciliation now that its route is recorded, with no status change', async () => {
    const { root, writes, key, execute } = setup();
    answers(root, { outcome: 'unknown', code: 'provider_timeout', message: 'timeout', providerReference: null });

    const result = (await execute()) as PaymentWithAttempts;

    expect(result).toMatchObject({ status: 'pending', amountCaptured: 0, declineCode: null, routePath: 'root/eu/sim-alpha' });
    expect(result.holdingAttemptId).toBe(attemptIdFor(result.id, 1));
    expect(result.nextCheckAt).not.toBeNull();
    expect(result.nextCheckAt).toEqual(result.updatedAt);
    expect(result.failureMessage).toContain('provider_timeout');
    expect(writes.recordOutcome.mock.calls[0]![2]).toEqual([]);
    expect(key.completions).toHaveLength(1);
    expect(key.releases).toHaveLength(0);
  });

  it("records the tree's attempts in the node stats", async () => {
    const { root, record, execute } = setup();
    answers(root, {});

    await execute();

    const outcome = await root.authorize.mock.results[0]!.value;
    expect(record).toHaveBeenCalledTimes(1);
    expect(record).toHaveBeenCalledWith(outcome.attempts);
  });

  it('goes no further than its claim when another request holds the key', async () => {
    const { root, writes, key, record, execute } = setup();
    key.taken = true;

    await expect(execute()).rejects.toBeInstanceOf(KeyTakenByAnotherRequest);

    expect(root.authorize).not.toHaveBeenCalled();
    expect(record).not.toHaveBeenCalled();
    expect(writes.recordOutcome).not.toHaveBeenCalled();
    expect(key.completions).toHaveLength(0);
  });

  it('uses a new payment id per request', async () => {
    const first = setup();
    const second = setup();
    answers(first.root, {});
    answers(second.root, {});
    await first.execute();
    await second.execute();
    expect(first.key.claims[0]!.resourceId).not.toBe(second.key.claims[0]!.resourceId);
  });
});
