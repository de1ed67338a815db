import { Inject, Injectable } from '@nestjs/common';
import type { OperationOutcome } from '#gateway-spi';
import type { Tree } from '#orchestration';
import type { Refund } from '#persistence';
import { newId } from '../../common/ids.js';
import { GATEWAY_CONFIG, TREE } from '../../common/tokens.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { ApiError } from '../../errors/api-error.js';
import {
  IdempotencyService,
  type IdempotencyScope,
  type StoredResponse,
  type Tx,
} from '../../idempotency/idempotency.service.js';
import { requestContext } from '../../tree/node-context.js';
import type { CreateRefundDto } from '../dto/create-refund.dto.js';
import { recordEvents } from '../payment-events.js';
import { lockPayment } from '../payment-lock.js';
import { presentRefund } from '../payment.presenter.js';
import { PaymentsRepository } from '../payments.repository.js';
import type { PaymentStatus } from '../payment-status.js';
import { holdingAddress } from './follow-up.js';

const REFUNDABLE: readonly PaymentStatus[] = ['captured', 'partially_refunded'];

const REFUND_STATUS: Record<OperationOutcome['outcome'], Refund['status']> = {
  succeeded: 'succeeded',
  failed: 'failed',
  // The provider may have refunded: the refund stays pending for reconciliation.
  unknown: 'pending',
};

/**
 * Refunds part or all of what was captured. The refund is reserved (`pending`) under the payment's
 * row lock before the provider call, so concurrent refunds can never sum past the captured amount.
 */
@Injectable()
export class RefundPayment {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly payments: PaymentsRepository,
    private readonly idempotency: IdempotencyService,
  ) {}

  async execute(
    merchantId: string,
    paymentId: string,
    dto: CreateRefundDto,
    scope: IdempotencyScope,
    traceId: string,
  ): Promise<StoredResponse> {
    const payment = await this.payments.findOwned(merchantId, paymentId);
    const refundId = newId('re');
    const createdAt = new Date();
    let amount = 0;
    return this.idempotency.execute(scope, refundId, {
      claim: async (tx) => {
        const locked = await lockPayment(tx, paymentId);
        if (!REFUNDABLE.includes(locked.status)) {
          throw ApiError.state('payment_not_refundable', `This payment is ${locked.status}; only a captured payment can be refunded.`);
        }
        const reserved = await reservedRefunds(tx, paymentId);
        const refundable = locked.amountCaptured - reserved;
        amount = dto.amount ?? refundable;
        if (amount <= 0 || amount > refundable) {
          throw ApiError.state(
            'refund_exceeds_captured',
            `Refunds of this payment may total at most ${locked.amountCaptured}; ${reserved} is already refunded or pending, ` +
              `so at most ${refundable} remains (asked for ${amount}).`,
          );
        }
        await tx.refund.create({
          data: {
            id: refundId,
            paymentId,
            merchantId,
            amount,
            currency: payment.currency,
            status: 'pending',
            reason: dto.reason ?? null,
            createdAt,
            updatedAt: createdAt,
          },
        });
      },
      perform: async () => {
        const outcome = await this.tree.root.refund(
          { ...holdingAddress(payment), operationId: refundId, amount, currency: payment.currency, reason: dto.reason },
          requestContext(traceId, this.config.requestTimeoutMs),
        );
        const updatedAt = new Date();
        const refund: Refund = {
          id: refundId,
          paymentId,
          merchantId,
          amount,
          currency: payment.currency,
          status: REFUND_STATUS[outcome.outcome],
          reason: dto.reason ?? null,
          providerReference: outcome.providerReference,
          // An unknown outcome is scheduled for the reconciler, which re-drives it with the same operation id.
          nextCheckAt: outcome.outcome === 'unknown' ? updatedAt : null,
          checkCount: 0,
          checkLeaseUntil: null,
          createdAt,
          updatedAt,
        };
        return {
          kind: 'respond',
          status: 201,
          body: presentRefund(refund),
          commit: async (tx) => {
            await tx.refund.update({
              where: { id: refundId },
              data: { status: refund.status, providerReference: refund.providerReference, nextCheckAt: refund.nextCheckAt, updatedAt },
            });
            if (refund.status === 'succeeded') await applySucceededRefund(tx, paymentId, merchantId, refund, updatedAt);
          },
        };
      },
    });
  }
}

async function reservedRefunds(tx: Tx, paymentId: string): Promise<number> {
  const sum = await tx.refund.aggregate({
    where: { paymentId, status: { in: ['pending', 'succeeded'] } },
    _sum: { amount: true },
  });
  return sum._sum.amount ?? 0;
}

/** Adds a succeeded refund to its payment (under the row lock) and records the event. */
export async function applySucceededRefund(tx: Tx, paymentId: string, merchantId: string, refund: Pick<Refund, 'id' | 'amount'>, at: Date): Promise<void> {
  const locked = await lockPayment(tx, paymentId);
  const amountRefunded = locked.amountRefunded + refund.amount;
  const status: PaymentStatus = amountRefunded >= locked.amountCaptured ? 'refunded' : 'partially_refunded';
  await tx.payment.update({ where: { id: paymentId }, data: { amountRefunded, status, updatedAt: at } });
  await recordEvents(
    tx,
    { id: paymentId, merchantId },
    [{ from: locked.status, to: status, data: { refund_id: refund.id, amount: refund.amount, amount_refunded: amountRefunded } }],
    at,
  );
}
