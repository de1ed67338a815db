import { describe, expect, it } from 'vitest';
import type { OperationOutcome } from '#gateway-spi';
import type { Refund } from '#persistence';
import { Refusal } from '../../common/refusal.js';
import { refusalToApiError } from '../../errors/refusal-to-api-error.js';
import type { PaymentStatus } from '../domain/payment-status.js';
import type { PaymentWithAttempts } from '../domain/payment.js';
import {
  CONFIG,
  FakeKey,
  fakePayments,
  FakeRefunds,
  fakeTree,
  KeyTakenByAnotherRequest,
  lockedPayment,
  MERCHANT,
  operationOutcome,
  storedPayment,
  TRACE,
} from '../test-support/fakes.js';
import { RefundPayment } from './refund-payment.js';

function setup(payment: PaymentWithAttempts | null = storedPayment('captured')) {
  const { root, tree } = fakeTree();
  const payments = fakePayments(payment);
  const refunds = new FakeRefunds();
  const key = new FakeKey<Refund>();
  const useCase = new RefundPayment(tree, CONFIG, payments.repository, refunds.repository);
  root.refund.mockResolvedValue(operationOutcome('succeeded', { providerReference: 'psp_re_1' }));
  /** What reserve's lock reads: the payment (captured 1000 by default) and what its refunds already hold. */
  const facts = (status: PaymentStatus, amountCaptured: number, reserved: number) => {
    refunds.facts = { payment: lockedPayment({ status, amountCaptured }), reserved };
  };
  const refund = (amount?: number, reason: string | null = 'requested_by_customer') =>
    useCase.execute({ merchantId: MERCHANT, paymentId: 'pay_abc', traceId: TRACE, amount, reason, key });
  return { root, payments, refunds, key, facts, refund };
}

describe('RefundPayment', () => {
  it('refuses a payment the merchant does not have (404) before claiming', async () => {
    const { payments, key, root, refund } = setup(null);

    const result = await refund(100);

    expect(result).toMatchObject({ kind: 'not_found', code: 'resource_missing' });
    expect(refusalToApiError(result as Refusal).status).toBe(404);
    expect(payments.findOwned).toHaveBeenCalledWith(MERCHANT, 'pay_abc');
    expect(key.claims).toHaveLength(0);
    expect(root.refund).not.toHaveBeenCalled();
  });

  it('claims the key for the refund with its reservation, pending, under the payment row lock', async () => {
    const { refunds, key, refund } = setup();

    await refund(300);

    expect(refunds.reserve).toHaveBeenCalledTimes(1);
    const [reserved] = refunds.reserve.mock.calls[0]!;
    expect(reserved.id).toMatch(/^re_/);
    expect(reserved).toMatchObject({
      paymentId: 'pay_abc',
      merchantId: MERCHANT,
      currency: 'EUR',
      status: 'pending',
      reason: 'requested_by_customer',
      providerReference: null,
      nextCheckAt: null,
    });
    expect(reserved).not.toHaveProperty('amount');
    expect(key.claims).toEqual([{ resourceId: reserved.id, unit: refunds.reserve.mock.results[0]!.value }]);
    expect(refunds.reservedAmount).toBe(300);
  });

  describe('what may be reserved (decided under the row lock)', () => {
    it.each<PaymentStatus>(['pending', 'authorized', 'voided', 'declined', 'failed', 'refunded'])(
      'refuses a %s payment (409 payment_not_refundable), without calling the provider',
      async (status) => {
        const { root, key, facts, refund } = setup();
        facts(status, status === 'refunded' ? 1000 : 0, 0);

        const result = await refund(100);

        expect(result).toBeInstanceOf(Refusal);
        expect(result).toMatchObject({ kind: 'state', code: 'payment_not_refundable' });
        expect(refusalToApiError(result as Refusal)).toMatchObject({ status: 409, type: 'state_error' });
        expect(root.refund).not.toHaveBeenCalled();
        expect(key.completions).toHaveLength(0);
      },
    );

    it.each([
      ['more than was captured', 1000, 0, 1001],
      ['more than remains after succeeded and pending refunds', 1000, 700, 301],
      ['a zero amount', 1000, 0, 0],
      ['a negative amount', 1000, 0, -5],
      ['the rest when nothing remains', 1000, 1000, undefined],
    ])('refuses %s (409 refund_exceeds_captured)', async (_what, captured, reserved, asked) => {
      const { root, key, facts, refund } = setup();
      facts('captured', captured, reserved);

      const result = await refund(asked);

      expect(result).toMatchObject({ kind: 'state', code: 'refund_exceeds_captured' });
      expect(refusalToApiError(result as Refusal).status).toBe(409);
      expect(root.refund).not.toHaveBeenCalled();
      expect(key.completions).toHaveLength(0);
    });

    it('says how much remains', async () => {
      const { facts, refund } = setup();
      facts('partially_refunded', 1000, 700);
      expect(((await refund(400)) as Refusal).message).toBe(
        'Refunds of this payment may total at most 1000; 700 is already refunded or pending, so at most 300 remains (asked for 400).',
      );
    });

    it('reserves exactly what remains, of a partially refunded payment', async () => {
      const { root, refunds, facts, refund } = setup();
      facts('partially_refunded', 1000, 700);

      const result = (await refund(300)) as Refund;

      expect(refunds.reservedAmount).toBe(300);
      expect(result.amount).toBe(300);
      expect(root.refund.mock.calls[0]![0].amount).toBe(300);
    });

    it('reserves all that remains when no amount is asked', async () => {
      const { root, refunds, facts, refund } = setup();
      facts('captured', 800, 250);

      const result = (await refund(undefined)) as Refund;

      expect(refunds.reservedAmount).toBe(550);
      expect(result.amount).toBe(550);
      expect(root.refund.mock.calls[0]![0].amount).toBe(550);
    });
  });

  it('goes down the recorded route path with the refund id as the provider operation id', async () => {
    const { root, key, refund } = setup();

    await refund(250);

    const [request, ctx] = root.refund.mock.calls[0]!;
    expect(request).toEqual({
      path: ['root', 'eu', 'sim-alpha'],
      attemptId: 'att_abc_1',
      providerReference: 'psp_ref_1',
      operationId: key.claims[0]!.resourceId,
      amount: 250,
      currency: 'EUR',
      reason: 'requested_by_customer',
    });
    expect(ctx.traceId).toBe(TRACE);
    expect(ctx.deadline - Date.now()).toBeLessThanOrEqual(CONFIG.requestTimeoutMs);
  });

  it('sends no reason to the provider when the merchant gave none', async () => {
    const { root, refund } = setup();
    const result = (await refund(100, null)) as Refund;
    expect(root.refund.mock.calls[0]![0].reason).toBeUndefined();
    expect(result.reason).toBeNull();
  });

  it.each<[OperationOutcome['outcome'], Refund['status'], boolean]>([
    ['succeeded', 'succeeded', false],
    ['failed', 'failed', false],
    ['unknown', 'pending', true],
  ])('the provider answered %s: the refund completes %s (scheduled for reconciliation: %s)', async (outcome, status, scheduled) => {
    const { root, refunds, key, refund } = setup();
    root.refund.mockResolvedValueOnce(operationOutcome(outcome, { providerReference: outcome === 'unknown' ? null : 'psp_re_9', code: outcome === 'failed' ? 'processing_error' : null }));

    const result = (await refund(400)) as Refund;

    expect(result).not.toBeInstanceOf(Refusal);
    expect(result).toMatchObject({
      id: key.claims[0]!.resourceId,
      paymentId: 'pay_abc',
      merchantId: MERCHANT,
      amount: 400,
      currency: 'EUR',
      status,
      providerReference: outcome === 'unknown' ? null : 'psp_re_9',
    });
    if (scheduled) expect(result.nextCheckAt).toEqual(result.updatedAt);
    else expect(result.nextCheckAt).toBeNull();
    expect(result.updatedAt.getTime()).toBeGreaterThanOrEqual(result.createdAt.getTime());
    expect(refunds.recordOutcome).toHaveBeenCalledWith(result);
    expect(key.completions).toEqual([{ unit: refunds.recordOutcome.mock.results[0]!.value, result }]);
    // Whatever the provider answered, the refund is the answer: the key is never released.
    expect(key.releases).toHaveLength(0);
  });

  it('goes no further than its claim when another request holds the key', async () => {
    const { root, refunds, key, refund } = setup();
    key.taken = true;
    await expect(refund(100)).rejects.toBeInstanceOf(KeyTakenByAnotherRequest);
    expect(root.refund).not.toHaveBeenCalled();
    expect(refunds.recordOutcome).not.toHaveBeenCalled();
  });
});
