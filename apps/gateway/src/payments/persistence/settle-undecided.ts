import { type Transaction, writeParts } from '#persistence';
import type { PaymentResolution, UndecidedStatus } from '../domain/payment-resolution.js';
import type { PaymentEventLog } from './payment-event-log.js';

/** An undecided payment (pending, or with its shopper) and the attempt that holds it. */
export interface UndecidedPayment {
  id: string;
  merchantId: string;
  from: UndecidedStatus;
  holdingAttemptId: string;
}

/**
 * Settles an undecided payment as `resolution` says, inside `tx`, only if it is still `from` (false
 * otherwise: someone settled it first). Its holding attempt records what it turned out to be, and
 * `settledBy` is added to the attempt's reason; the events go to the log and the outbox.
 */
export async function settleUndecided(
  tx: Transaction,
  events: PaymentEventLog,
  payment: UndecidedPayment,
  resolution: PaymentResolution,
  settledBy: string,
  at: Date,
): Promise<boolean> {
  const { count } = await tx.payment.updateMany({
    // A pending payment may be pending again for another reason (an accepted capture): only its own undecided state settles.
    where: { id: payment.id, status: payment.from, operationInFlight: null },
    data: {
      status: resolution.to,
      amountCaptured: resolution.amountCaptured,
      declineCode: resolution.declineCode,
      failureMessage: resolution.failureMessage,
      providerReference: resolution.providerReference,
      ...(resolution.networkTransactionId !== null && { networkTransactionId: resolution.networkTransactionId }),
      nextActionUrl: null,
      nextCheckAt: null,
      checkLeaseUntil: null,
      updatedAt: at,
    },
  });
  if (count === 0) return false;
  await tx.attempt.updateMany({
    where: { id: payment.holdingAttemptId, paymentId: payment.id },
    data: { ...resolution.attempt, ...(resolution.providerReference && { providerReference: resolution.providerReference }) },
  });
  await tx.$executeRaw`UPDATE attempts SET reason = reason || ${` (settled by ${settledBy}: ${resolution.attempt.outcome})`}
                        WHERE id = ${payment.holdingAttemptId} AND payment_id = ${payment.id}`;
  await writeParts(tx, events.parts(payment, resolution.changes, at), `events of payment ${payment.id}`);
  return true;
}
