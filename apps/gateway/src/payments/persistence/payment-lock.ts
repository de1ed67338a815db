import type { Transaction } from '#persistence';
import type { PaymentStatus } from '../domain/payment-status.js';

export interface LockedPayment {
  id: string;
  status: PaymentStatus;
  amount: number;
  amountCaptured: number;
  amountRefunded: number;
  operationInFlight: string | null;
  /** The operation in flight went unanswered and waits for reconciliation (or a retry of it). */
  operationUnresolved: boolean;
  /** A reconciler is checking this payment right now. */
  checkLeased: boolean;
}

/** Locks a payment row for the rest of `tx` (short transactions only: never around a provider call). */
export async function lockPayment(tx: Transaction, paymentId: string): Promise<LockedPayment> {
  const rows = await tx.$queryRaw<
    {
      id: string;
      status: PaymentStatus;
      amount: number;
      amount_captured: number;
      amount_refunded: number;
      operation_in_flight: string | null;
      operation_unresolved: boolean;
      check_leased: boolean;
    }[]
  >`SELECT id, status, amount, amount_captured, amount_refunded, operation_in_flight,
           operation_in_flight IS NOT NULL AND next_check_at IS NOT NULL AS operation_unresolved,
           coalesce(check_lease_until > ${new Date()}, false) AS check_leased
      FROM payments WHERE id = ${paymentId} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new Error(`payment ${paymentId} vanished while locked`);
  return {
    id: row.id,
    status: row.status,
    amount: Number(row.amount),
    amountCaptured: Number(row.amount_captured),
    amountRefunded: Number(row.amount_refunded),
    operationInFlight: row.operation_in_flight,
    operationUnresolved: row.operation_unresolved,
    checkLeased: row.check_leased,
  };
}
