import { Injectable } from '@nestjs/common';
import { type Attempt, type Payment, step, type UnitOfWork, writeParts } from '#persistence';
import { IdempotencyRepository } from '../../idempotency/index.js';
import { operationCleared, PaymentEventLog, type PaymentResolution, settleUndecided, type UndecidedStatus } from '../../payments/index.js';
import type { ClaimedOperation, ClaimedPayment } from './pending-claims.repository.js';

/** The answer the create request of an orphaned payment should have stored, from the settled payment. */
export type CreatedAnswer = (payment: Payment & { attempts: Attempt[] }) => { status: number; body: unknown };

/**
 * Reconciliation's writes, as units of work. Each applies once: it is conditional on the row still
 * being in the state the claim found (the unit answers false otherwise: someone settled it first),
 * in the transaction that records its events.
 */
@Injectable()
export class SettlementWrites {
  constructor(
    private readonly events: PaymentEventLog,
    private readonly keys: IdempotencyRepository,
  ) {}

  /** A pending (or waiting) payment settled from its holding leaf's status; its holding attempt says what it turned out to be. */
  settlePending(
    claim: Pick<ClaimedPayment, 'id' | 'merchantId'>,
    route: { holdingAttemptId: string },
    resolution: PaymentResolution,
    at: Date,
    from: UndecidedStatus = 'pending',
  ): UnitOfWork {
    const payment = { id: claim.id, merchantId: claim.merchantId, from, holdingAttemptId: route.holdingAttemptId };
    return {
      writes: [
        step(async (tx) => {
          if (!(await settleUndecided(tx, this.events, payment, resolution, 'reconciliation', at))) return false;
        }),
      ],
    };
  }

  /**
   * An orphaned payment settled as its located attempts say, with those attempts; the key its
   * create request left in flight stores `answer` of the settled payment, so the merchant's retry
   * replays it.
   */
  adoptOrphan(
    claim: ClaimedPayment,
    route: { routePath: string | null; holdingAttemptId: string | null },
    resolution: PaymentResolution,
    attempts: readonly Attempt[],
    answer: CreatedAnswer,
    at: Date,
  ): UnitOfWork {
    return {
      writes: [
        step(async (tx) => {
          const { count } = await tx.payment.updateMany({ where: { id: claim.id, status: 'pending', routePath: null }, data: { ...route, ...settledData(resolution, at) } });
          if (count === 0) return false;
          if (attempts.length > 0) await tx.attempt.createMany({ data: [...attempts] });
          const payment = await tx.payment.findUniqueOrThrow({ where: { id: claim.id }, include: { attempts: { orderBy: { seq: 'asc' } } } });
          const { status, body } = answer(payment);
          // The create request's key: the only key of a pending payment that can still be in flight.
          const completion = this.keys.completeInFlightPart(claim.merchantId, claim.id, status, JSON.stringify(body), at);
          await writeParts(tx, [...this.events.parts(claim, resolution.changes, at), completion], `adoption of payment ${claim.id}`);
        }),
      ],
    };
  }

  /** An unanswered (or accepted) capture or void that its provider applied: the payment moves on, once. */
  settleOperation(claim: ClaimedOperation, to: 'captured' | 'voided', amountCaptured: number, at: Date): UnitOfWork {
    return {
      writes: [
        step(async (tx) => {
          const { count } = await tx.payment.updateMany({
            where: stillUnresolved(claim),
            data: { ...operationCleared(at), status: to, ...(to === 'captured' && { amountCaptured }) },
          });
          if (count === 0) return false;
          const data = { resolved_by: 'reconciliation', ...(to === 'captured' && { amount: amountCaptured }) };
          const from = claim.accepted ? 'pending' : 'authorized';
          await writeParts(tx, this.events.parts(claim, [{ from, to, data }], at), `events of payment ${claim.id}`);
        }),
      ],
    };
  }
}

/** The payment row of a claimed operation, as long as nobody settled it meanwhile. */
export function stillUnresolved(claim: ClaimedOperation) {
  return { id: claim.id, status: claim.accepted ? 'pending' : 'authorized', operationInFlight: claim.operation };
}


function settledData(resolution: PaymentResolution, at: Date) {
  return {
    status: resolution.to,
    amountCaptured: resolution.amountCaptured,
    declineCode: resolution.declineCode,
    failureMessage: resolution.failureMessage,
    providerReference: resolution.providerReference,
    nextCheckAt: null,
    checkLeaseUntil: null,
    updatedAt: at,
  };
}
