import { Prisma, prismaSqlClient } from '#persistence';
import { type Cte, cte, fusedStatement, runFused } from '../common/fused-statement.js';
import { newId } from '../common/ids.js';
import type { Tx } from '../idempotency/idempotency.service.js';
import { deliveryWrites } from '../webhooks/webhook-outbox.js';
import { EVENT_TYPE_FOR_STATUS, type PaymentStatus } from './payment-status.js';

export interface StatusChange {
  from: PaymentStatus | null;
  to: PaymentStatus;
  data?: Record<string, unknown>;
  type?: string;
}

/**
 * The parts of a fused statement that append a payment's state changes to its event log, in order
 * (`seq` follows the VALUES order), and their webhook deliveries (the outbox). `gate` names a part
 * that must have returned a row for anything to be written (e.g. the claim of an idempotency key).
 */
export function eventWrites(
  payment: { id: string; merchantId: string },
  changes: readonly StatusChange[],
  at: Date,
  gate?: string,
): Cte[] {
  if (changes.length === 0) return [];
  const events = changes.map((change) => ({ ...change, id: newId('evt'), type: change.type ?? EVENT_TYPE_FOR_STATUS[change.to] }));
  const rows = events.map(
    (event) => Prisma.sql`(${event.id}::text, ${payment.id}::text, ${payment.merchantId}::text, ${event.type}::text,
      ${event.from}::text, ${event.to}::text, ${JSON.stringify(event.data ?? {})}::jsonb, ${at}::timestamp(3))`,
  );
  const source = gate ? Prisma.sql`SELECT v.* FROM (VALUES ${Prisma.join(rows)}) v CROSS JOIN ${Prisma.raw(gate)}` : Prisma.sql`VALUES ${Prisma.join(rows)}`;
  const inserted = cte(
    'events',
    Prisma.sql`
      INSERT INTO payment_events (id, payment_id, merchant_id, type, from_status, to_status, data, created_at)
      ${source}
      RETURNING id, type`,
  );
  const deliveries = deliveryWrites('events', payment.merchantId, events, at);
  return deliveries ? [inserted, deliveries] : [inserted];
}

/** Appends the events and their deliveries inside `tx`, in one statement. */
export async function recordEvents(
  tx: Tx,
  payment: { id: string; merchantId: string },
  changes: readonly StatusChange[],
  at: Date,
): Promise<void> {
  const writes = eventWrites(payment, changes, at);
  if (writes.length === 0) return;
  await runFused(prismaSqlClient(tx), fusedStatement({ ctes: writes, mustAffect: [] }), `events of payment ${payment.id}`);
}
