import type { Tx } from '../idempotency/idempotency.service.js';
import { newId } from '../common/ids.js';
import { enqueueDeliveries } from '../webhooks/webhook-outbox.js';
import { EVENT_TYPE_FOR_STATUS, type PaymentStatus } from './payment-status.js';

export interface StatusChange {
  from: PaymentStatus | null;
  to: PaymentStatus;
  data?: Record<string, unknown>;
  type?: string;
}

/**
 * Appends the event log entries of a payment's state changes, in order, inside `tx`, and their
 * webhook deliveries (the outbox) in the same transaction.
 */
export async function recordEvents(
  tx: Tx,
  payment: { id: string; merchantId: string },
  changes: readonly StatusChange[],
  at: Date,
): Promise<void> {
  if (changes.length === 0) return;
  const events = changes.map((change) => ({
    id: newId('evt'),
    paymentId: payment.id,
    merchantId: payment.merchantId,
    type: change.type ?? EVENT_TYPE_FOR_STATUS[change.to],
    fromStatus: change.from,
    toStatus: change.to,
    data: (change.data ?? {}) as object,
    createdAt: at,
  }));
  await tx.paymentEvent.createMany({ data: events });
  await enqueueDeliveries(tx, payment.merchantId, events, at);
}
