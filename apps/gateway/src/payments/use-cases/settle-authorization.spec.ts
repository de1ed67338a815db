import { describe, expect, it } from 'vitest';
import { Refusal } from '../../common/refusal.js';
import { refusalToApiError } from '../../errors/refusal-to-api-error.js';
import type { LockedPayment } from '../persistence/payment-lock.js';
import type { PaymentWithAttempts } from '../domain/payment.js';
import {
  CONFIG,
  FakeKey,
  FakePaymentWrites,
  fakePayments,
  fakeTree,
  KeyTakenByAnotherRequest,
  lockedPayment,
  MERCHANT,
  operationOutcome,
  storedPayment,
  TRACE,
} from '../test-support/fakes.js';
import { CapturePayment } from './capture-payment.js';
import { SettleAuthorization } from './settle-authorization.js';
import { VoidPayment } from './void-payment.js';

type Operation = 'capture' | 'void';

function setup(payment: PaymentWithAttempts | null = storedPayment('authorized')) {
  const { root, tree } = fakeTree();
  const writes = new FakePaymentWrites();
  const payments = fakePayments(payment);
  const settle = new SettleAuthorization(CONFIG, writes.writes);
  const capture = new CapturePayment(tree, payments.repository, settle);
  const voiding = new VoidPayment(tree, payments.repository, settle);
  const key = new FakeKey<PaymentWithAttempts>();
  root.capture.mockResolvedValue(operationOutcome('succeeded'));
  root.void.mockResolvedValue(operationOutcome('succeeded'));
  const run = (operation: Operation, amount?: number) =>
    operation === 'capture'
      ? capture.execute({ merchantId: MERCHANT, paymentId: 'pay_abc', traceId: TRACE, amount, key })
      : voiding.execute({ merchantId: MERCHANT, paymentId: 'pay_abc', traceId: TRACE, key });
  return { root, writes, payments, key, run, call: (operation: Operation) => root[operation] };
}

describe.each<Operation>(['capture', 'void'])('settling an authorization: %s', (operation) => {
  const to = operation === 'capture' ? 'captured' : 'voided';

  it('refuses a payment the merchant does not have (404) before claiming', async () => {
    const { payments, key, run } = setup(null);

    const result = await run(operation);

    expect(result).toBeInstanceOf(Refusal);
    expect(result).toMatchObject({ kind: 'not_found', code: 'resource_missing', param: 'id' });
    expect(refusalToApiError(result as Refusal).status).toBe(404);
    expect(payments.findOwnedWithAttempts).toHaveBeenCalledWith(MERCHANT, 'pay_abc');
    expect(key.claims).toHaveLength(0);
  });

  it('claims the key for the payment with the start of the operation under its row lock', async () => {
    const { writes, key, run } = setup();

    await run(operation);

    expect(writes.startOperation).toHaveBeenCalledTimes(1);
    expect(writes.startOperation.mock.calls[0]!.slice(0, 2)).toEqual(['pay_abc', operation]);
    expect(key.claims).toEqual([{ resourceId: 'pay_abc', unit: writes.startOperation.mock.results[0]!.value }]);
  });

  describe('what may start (decided under the row lock)', () => {
    const refusals: [string, Partial<LockedPayment>, string][] = [
      ['a pending payment', { status: 'pending' }, `payment_not_${operation === 'capture' ? 'capturable' : 'voidable'}`],
      ['a captured payment', { status: 'captured' }, `payment_not_${operation === 'capture' ? 'capturable' : 'voidable'}`],
      ['a voided payment', { status: 'voided' }, `payment_not_${operation === 'capture' ? 'capturable' : 'voidable'}`],
      ['while another operation runs', { operationInFlight: operation === 'capture' ? 'void' : 'capture' }, 'operation_in_flight'],
      ['while another operation is unresolved', { operationInFlight: operation === 'capture' ? 'void' : 'capture', operationUnresolved: true }, 'operation_in_flight'],
      ['while the same operation is still running (not unresolved)', { operationInFlight: operation }, 'operation_in_flight'],
      ['a retry of the same unanswered operation while a reconciler holds the lease', { operationInFlight: operation, operationUnresolved: true, checkLeased: true }, 'operation_in_flight'],
    ];

    it.each(refusals)('refuses %s (409 %s), without calling the provider', async (_what, locked, code) => {
      const { root, writes, key, run } = setup();
      writes.locked = lockedPayment(locked);

      const result = await run(operation);

      expect(result).toBeInstanceOf(Refusal);
      expect(result).toMatchObject({ kind: 'state', code });
      expect(refusalToApiError(result as Refusal)).toMatchObject({ status: 409, type: 'state_error', code });
      expect(root.capture).not.toHaveBeenCalled();
      expect(root.void).not.toHaveBeenCalled();
      expect(key.releases).toHaveLength(0);
      expect(key.completions).toHaveLength(0);
    });

    it('says what the payment is when it is not authorized', async () => {
      const { writes, run } = setup();
      writes.locked = lockedPayment({ status: 'declined' });
      expect(((await run(operation)) as Refusal).message).toBe(`This payment is declined; only an authorized payment can be ${to}.`);
    });

    it('allows a retry of the same unanswered operation when no reconciler holds it', async () => {
      const { writes, key, run, call } = setup();
      writes.locked = lockedPayment({ operationInFlight: operation, operationUnresolved: true, checkLeased: false });

      const result = await run(operation);

      expect(result).not.toBeInstanceOf(Refusal);
      expect(call(operation)).toHaveBeenCalledTimes(1);
      expect(key.completions).toHaveLength(1);
    });
  });

  it('goes down the recorded route path to the holding leaf, with the provider operation id <attemptId>.' + operation, async () => {
    const { run, call } = setup();

    await run(operation);

    expect(call(operation)).toHaveBeenCalledTimes(1);
    const [request, ctx] = call(operation).mock.calls[0]!;
    expect(request).toMatchObject({
      path: ['root', 'eu', 'sim-alpha'],
      attemptId: 'att_abc_1',
      providerReference: 'psp_ref_1',
      operationId: `att_abc_1.${operation}`,
    });
    expect(ctx.traceId).toBe(TRACE);
    expect(ctx.deadline - Date.now()).toBeGreaterThan(4000);
    expect(ctx.deadline - Date.now()).toBeLessThanOrEqual(5000);
  });

  it('goes no further than its claim when another request holds the key', async () => {
    const { key, run, call } = setup();
    key.taken = true;
    await expect(run(operation)).rejects.toBeInstanceOf(KeyTakenByAnotherRequest);
    expect(call(operation)).not.toHaveBeenCalled();
  });

  it('provider refused: releases the key with the operation cleared, and answers provider_refused (502) with its code', async () => {
    const { writes, key, run, call } = setup();
    call(operation).mockResolvedValueOnce(operationOutcome('failed', { code: 'card_declined', message: 'Authorization expired' }));

    const result = await run(operation);

    expect(result).toBeInstanceOf(Refusal);
    expect(result).toMatchObject({ kind: 'provider_refused', code: 'card_declined' });
    expect((result as Refusal).message).toContain('Authorization expired');
    expect(refusalToApiError(result as Refusal)).toMatchObject({ status: 502, code: 'card_declined' });
    expect(writes.clearOperation).toHaveBeenCalledWith('pay_abc');
    expect(key.releases).toEqual([writes.clearOperation.mock.results[0]!.value]);
    expect(writes.leaveOperationUnresolved).not.toHaveBeenCalled();
    expect(key.completions).toHaveLength(0);
  });

  it('provider refused without a code: processing_error', async () => {
    const { run, call } = setup();
    call(operation).mockResolvedValueOnce(operationOutcome('failed'));
    expect(await run(operation)).toMatchObject({ kind: 'provider_refused', code: 'processing_error' });
  });

  it('provider did not answer: releases the key leaving the operation unresolved, and answers provider_timeout (504)', async () => {
    const { writes, key, run, call } = setup();
    call(operation).mockResolvedValueOnce(operationOutcome('unknown', { code: 'provider_timeout' }));
    const before = Date.now();

    const result = await run(operation);

    expect(result).toMatchObject({ kind: 'provider_timeout', code: 'provider_timeout' });
    expect(refusalToApiError(result as Refusal)).toMatchObject({ status: 504, type: 'api_error' });
    expect(writes.leaveOperationUnresolved).toHaveBeenCalledTimes(1);
    const [paymentId, at] = writes.leaveOperationUnresolved.mock.calls[0]!;
    expect(paymentId).toBe('pay_abc');
    expect(at.getTime()).toBeGreaterThanOrEqual(before);
    expect(key.releases).toEqual([writes.leaveOperationUnresolved.mock.results[0]!.value]);
    expect(writes.clearOperation).not.toHaveBeenCalled();
    expect(key.completions).toHaveLength(0);
  });

  it(`succeeded: completes ${to}, the operation cleared, with its event`, async () => {
    // A retry of an unanswered operation: the payment was read with the operation still marked.
    const found = storedPayment('authorized', { operationInFlight: operation, operationStartedAt: new Date('2020-01-01T00:00:01.000Z') });
    const { writes, key, run } = setup(found);
    writes.locked = lockedPayment({ operationInFlight: operation, operationUnresolved: true });

    const result = (await run(operation)) as PaymentWithAttempts;

    expect(result).toMatchObject({
      id: 'pay_abc',
      status: to,
      amount: 1000,
      amountCaptured: operation === 'capture' ? 1000 : 0,
      operationInFlight: null,
      operationStartedAt: null,
      routePath: 'root/eu/sim-alpha',
    });
    expect(result.attempts).toEqual(found.attempts);
    expect(result.updatedAt.getTime()).toBeGreaterThan(found.updatedAt.getTime());
    expect(writes.recordSettled).toHaveBeenCalledWith(result, { from: 'authorized', to, data: operation === 'capture' ? { amount: 1000 } : {} });
    expect(key.completions).toEqual([{ unit: writes.recordSettled.mock.results[0]!.value, result }]);
    expect(key.releases).toHaveLength(0);
  });

  it('pending (accepted, confirmed later): completes the key with the payment pending and the operation kept, with its event', async () => {
    const { root, writes, key, run } = setup();
    root[operation].mockResolvedValue(operationOutcome('pending', { providerReference: 'mod_1' }));

    const result = (await run(operation)) as PaymentWithAttempts;

    expect(result).toMatchObject({
      status: 'pending',
      amountCaptured: 0,
      operationInFlight: operation,
      operationAmount: operation === 'capture' ? 1000 : null,
    });
    expect(result.operationAcceptedAt).toBeInstanceOf(Date);
    // Scheduled for reconciliation in case the confirmation never comes.
    expect(result.nextCheckAt!.getTime()).toBeGreaterThan(result.operationAcceptedAt!.getTime());
    expect(writes.leaveOperationAccepted).toHaveBeenCalledWith(result, {
      from: 'authorized',
      to: 'pending',
      type: `payment.${operation}_pending`,
      data: { operation, ...(operation === 'capture' && { amount: 1000 }), provider_reference: 'mod_1' },
    });
    expect(key.completions).toEqual([{ unit: writes.leaveOperationAccepted.mock.results[0]!.value, result }]);
    expect(writes.recordSettled).not.toHaveBeenCalled();
  });

  it('after its provider reported an earlier one failed, sends a new provider idempotency key', async () => {
    const { payments, call, run } = setup();
    payments.countEvents.mockResolvedValue(1);

    await run(operation);

    expect(payments.countEvents).toHaveBeenCalledWith('pay_abc', `payment.${operation}_failed`);
    expect(call(operation).mock.calls[0]![0]).toMatchObject({ operationId: `att_abc_1.${operation}.2` });
  });

  it('refuses any capture or void while an accepted one awaits its confirmation (409 operation_in_flight)', async () => {
    const { writes, key, run } = setup();
    writes.locked = lockedPayment({ status: 'pending', operationInFlight: 'capture' });

    const result = await run(operation);

    expect(result).toMatchObject({ kind: 'state', code: 'operation_in_flight' });
    expect((result as Refusal).message).toMatch(/accepted by its provider and awaits confirmation/);
    expect(refusalToApiError(result as Refusal).status).toBe(409);
    expect(key.completions).toHaveLength(0);
  });
});

describe('CapturePayment', () => {
  it('refuses more than the authorized amount before claiming (400 amount_too_large)', async () => {
    const { key, run, root } = setup();

    const result = await run('capture', 1001);

    expect(result).toMatchObject({ kind: 'invalid', code: 'amount_too_large', param: 'amount' });
    expect(refusalToApiError(result as Refusal).status).toBe(400);
    expect(key.claims).toHaveLength(0);
    expect(root.capture).not.toHaveBeenCalled();
  });

  it('captures part of the authorization: the amount goes to the provider, to the payment and to the event', async () => {
    const { root, writes, run } = setup();

    const result = (await run('capture', 600)) as PaymentWithAttempts;

    expect(root.capture.mock.calls[0]![0]).toMatchObject({ amount: 600, currency: 'EUR', operationId: 'att_abc_1.capture' });
    expect(result).toMatchObject({ status: 'captured', amount: 1000, amountCaptured: 600 });
    expect(writes.recordSettled.mock.calls[0]![1]).toEqual({ from: 'authorized', to: 'captured', data: { amount: 600 } });
  });

  it('captures all of the authorization when no amount is given', async () => {
    const { root, run } = setup();
    await run('capture');
    expect(root.capture.mock.calls[0]![0]).toMatchObject({ amount: 1000, currency: 'EUR' });
  });
});

describe('VoidPayment', () => {
  it('asks the provider to void, with no amount', async () => {
    const { root, run } = setup();
    await run('void');
    expect(root.void.mock.calls[0]![0]).not.toHaveProperty('amount');
    expect(root.capture).not.toHaveBeenCalled();
  });
});
