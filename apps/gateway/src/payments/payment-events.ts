import type { Tx } from '../idempotency/idempotency.service.js';
import { newId } from '../common/ids.js';
import { EVENT_TYPE_FOR_STATUS, type PaymentStatus } from './payment-status.js';

export interface StatusChange {
  from: PaymentStatus | null;
  to: PaymentStatus;
  data?: Record<string, unknown>;
  type?: string;
}

/** Appends the event log entries of a payment's state changes, in order, inside `tx`. */
export async function recordEvents(
  tx: Tx,
  payment: { id: string; merchantId: string },
  changes: readonly StatusChange[],
  at: Date,
): Promise<void> {
  if (changes.length === 0) return;
  await tx.paymentEvent.createMany({
    data: changes.map((change) => ({
      id: newId('evt'),
      paymentId: payment.id,
      merchantId: payment.merchantId,
      type: change.type ?? EVENT_TYPE_FOR_STATUS[change.to],
      fromStatus: change.from,
      toStatus: change.to,
      data: (change.data ?? {}) as object,
      createdAt: at,
    })),
  });
}
