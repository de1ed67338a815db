import { Inject, Injectable } from '@nestjs/common';
import { PRISMA, type PrismaClient, type Refund, step, type Transaction, type UnitOfWork, writeParts } from '#persistence';
import type { PaymentStatus } from '../domain/payment-status.js';
import { PaymentEventLog } from './payment-event-log.js';
import { type LockedPayment, lockPayment } from './payment-lock.js';

/** What a refund may still take, read under the payment's row lock. */
export interface RefundableFacts {
  payment: LockedPayment;
  /** Refunds of the payment already succeeded or still pending. */
  reserved: number;
}

/** Refunds: reads, and the writes of their state changes as units of work. */
@Injectable()
export class RefundsRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly events: PaymentEventLog,
  ) {}

  findOwned(merchantId: string, refundId: string): Promise<Refund | null> {
    return this.prisma.refund.findFirst({ where: { id: refundId, merchantId } });
  }

  /**
   * Reserves the refund `pending` under the payment's row lock, so concurrent refunds can never sum
   * past the captured amount. `decide` sees what is refundable and returns the amount to reserve,
   * or refuses by throwing.
   */
  reserve(refund: Omit<Refund, 'amount'>, decide: (facts: RefundableFacts) => number): UnitOfWork {
    return {
      writes: [
        step(async (tx) => {
          const payment = await lockPayment(tx, refund.paymentId);
          const amount = decide({ payment, reserved: await reservedRefunds(tx, refund.paymentId) });
          const { id, paymentId, merchantId, currency, status, reason, createdAt, updatedAt } = refund;
          await tx.refund.create({ data: { id, paymentId, merchantId, amount, currency, status, reason, createdAt, updatedAt } });
        }),
      ],
    };
  }

  /** The provider's answer on the refund; a succeeded refund is added to its payment. */
  recordOutcome(refund: Refund): UnitOfWork {
    return {
      writes: [
        step(async (tx) => {
          const { status, providerReference, nextCheckAt, acceptedAt, updatedAt } = refund;
          // Conditional: nothing else may have settled it meanwhile (a notification defers while this request runs).
          const { count } = await tx.refund.updateMany({ where: { id: refund.id, status: 'pending' }, data: { status, providerReference, nextCheckAt, acceptedAt, updatedAt } });
          if (count === 1 && status === 'succeeded') await this.applySucceeded(tx, refund, updatedAt);
        }),
      ],
    };
  }

  /** A re-driven refund its provider accepted this time: no longer re-sent, its notification settles it. */
  async markAccepted(refundId: string, at: Date): Promise<void> {
    await this.prisma.refund.updateMany({ where: { id: refundId, status: 'pending' }, data: { acceptedAt: at, nextCheckAt: null, checkLeaseUntil: null, updatedAt: at } });
  }

  /** Refunds their provider accepted and has not confirmed yet, across the shared database. */
  countAwaitingConfirmation(): Promise<number> {
    return this.prisma.refund.count({ where: { status: 'pending', acceptedAt: { not: null } } });
  }

  /** A pending refund settled by reconciliation: nothing is written (the unit answers false) unless it is still pending. */
  settlePending(refund: Pick<Refund, 'id' | 'paymentId' | 'merchantId' | 'amount'>, to: 'succeeded' | 'failed', providerReference: string | null, at: Date): UnitOfWork {
    return {
      writes: [
        step(async (tx) => {
          const { count } = await tx.refund.updateMany({
            where: { id: refund.id, status: 'pending' },
            data: { status: to, providerReference, nextCheckAt: null, checkLeaseUntil: null, updatedAt: at },
          });
          if (count === 0) return false;
          if (to === 'succeeded') await this.applySucceeded(tx, refund, at);
        }),
      ],
    };
  }

  /**
   * Inside `tx`: a pending refund settled as its provider notified (false if it is no longer pending).
   * A failed one frees its amount; the merchant hears of it (`payment.refund_failed`).
   */
  async settleNotified(tx: Transaction, refund: Refund, to: 'succeeded' | 'failed', at: Date): Promise<boolean> {
    const { count } = await tx.refund.updateMany({ where: { id: refund.id, status: 'pending' }, data: { status: to, nextCheckAt: null, checkLeaseUntil: null, updatedAt: at } });
    if (count === 0) return false;
    if (to === 'succeeded') await this.applySucceeded(tx, refund, at);
    else await this.recordFailure(tx, refund, at);
    return true;
  }

  /** Inside `tx`: a refund that had succeeded is reported failed; its amount comes off the payment's refunded amount. */
  async reverseSucceeded(tx: Transaction, refund: Refund, at: Date): Promise<boolean> {
    const { count } = await tx.refund.updateMany({ where: { id: refund.id, status: 'succeeded' }, data: { status: 'failed', updatedAt: at } });
    if (count === 0) return false;
    const locked = await lockPayment(tx, refund.paymentId);
    const amountRefunded = Math.max(0, locked.amountRefunded - refund.amount);
    const status: PaymentStatus = amountRefunded === 0 ? 'captured' : 'partially_refunded';
    await tx.payment.update({ where: { id: refund.paymentId }, data: { amountRefunded, status, updatedAt: at } });
    await this.recordFailure(tx, refund, at, { from: locked.status, to: status, amountRefunded });
    return true;
  }

  private async recordFailure(tx: Transaction, refund: Refund, at: Date, payment?: { from: PaymentStatus; to: PaymentStatus; amountRefunded: number }): Promise<void> {
    let current = payment;
    if (!current) {
      const locked = await lockPayment(tx, refund.paymentId);
      current = { from: locked.status, to: locked.status, amountRefunded: locked.amountRefunded };
    }
    const change = {
      from: current.from,
      to: current.to,
      type: 'payment.refund_failed',
      data: { refund_id: refund.id, amount: refund.amount, amount_refunded: current.amountRefunded, resolved_by: 'notification' },
    };
    await writeParts(tx, this.events.parts({ id: refund.paymentId, merchantId: refund.merchantId }, [change], at), `events of payment ${refund.paymentId}`);
  }

  /** Adds a succeeded refund to its payment (under the row lock) and records the event. */
  private async applySucceeded(tx: Transaction, refund: Pick<Refund, 'id' | 'paymentId' | 'merchantId' | 'amount'>, at: Date): Promise<void> {
    const locked = await lockPayment(tx, refund.paymentId);
    const amountRefunded = locked.amountRefunded + refund.amount;
    const status: PaymentStatus = amountRefunded >= locked.amountCaptured ? 'refunded' : 'partially_refunded';
    await tx.payment.update({ where: { id: refund.paymentId }, data: { amountRefunded, status, updatedAt: at } });
    const change = { from: locked.status, to: status, data: { refund_id: refund.id, amount: refund.amount, amount_refunded: amountRefunded } };
    await writeParts(tx, this.events.parts({ id: refund.paymentId, merchantId: refund.merchantId }, [change], at), `events of payment ${refund.paymentId}`);
  }
}

async function reservedRefunds(tx: Transaction, paymentId: string): Promise<number> {
  const sum = await tx.refund.aggregate({
    where: { paymentId, status: { in: ['pending', 'succeeded'] } },
    _sum: { amount: true },
  });
  return sum._sum.amount ?? 0;
}
