import { Prisma } from '#persistence';
import { type Cte, cte } from '../common/fused-statement.js';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types.js';

export interface OutboxEvent {
  id: string;
  type: string;
}

/** `whd_` and 22 URL-safe characters, like `newId('whd')`, from a random UUID's 122 bits. */
const DELIVERY_ID = Prisma.raw(
  `'whd_' || translate(rtrim(encode(decode(replace(gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '='), '+/', 'xx')`,
);

/**
 * The outbox part of a fused statement: one delivery per (event of `eventsCte`, enabled endpoint
 * of the merchant subscribed to its type). It commits or rolls back with the state change itself.
 * `undefined` when none of `events` is deliverable.
 */
export function deliveryWrites(eventsCte: string, merchantId: string, events: readonly OutboxEvent[], at: Date): Cte | undefined {
  const deliverable = [...new Set(events.map((event) => event.type))].filter((type) => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type));
  if (deliverable.length === 0) return undefined;
  return cte(
    `${eventsCte}_deliveries`,
    Prisma.sql`
      INSERT INTO webhook_deliveries (id, endpoint_id, event_id, merchant_id, event_type, next_attempt_at, created_at, updated_at)
      SELECT ${DELIVERY_ID}, w.id, ev.id, w.merchant_id, ev.type, ${at}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3)
        FROM ${Prisma.raw(eventsCte)} ev
        JOIN webhook_endpoints w
          ON w.merchant_id = ${merchantId}::text AND w.status = 'enabled' AND w.deleted_at IS NULL AND ev.type = ANY (w.events)
       WHERE ev.type IN (${Prisma.join(deliverable.map((type) => Prisma.sql`${type}::text`))})
      RETURNING id`,
  );
}
