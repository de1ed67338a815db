import { Injectable } from '@nestjs/common';
import { part, Prisma, type StatementPart } from '#persistence';
import type { OutboxEvent, PaymentEventOutbox } from '../payments/index.js';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types.js';

/** `whd_` and 22 URL-safe characters, like `newId('whd')`, from a random UUID's 122 bits. */
const DELIVERY_ID = Prisma.raw(
  `'whd_' || translate(rtrim(encode(decode(replace(gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '='), '+/', 'xx')`,
);

/**
 * The webhooks side of the payment events' outbox (the PAYMENT_EVENT_OUTBOX port): the deliveries
 * of a state change's events, written with the state change itself.
 */
@Injectable()
export class WebhookOutbox implements PaymentEventOutbox {
  /**
   * The outbox part of a fused statement: one delivery per (event of `eventsPart`, enabled endpoint
   * of the merchant subscribed to its type). It commits or rolls back with the state change itself.
   * `undefined` when none of `events` is deliverable. Its SQL text varies only with the part's name
   * and the number of deliverable types (the rest are parameters), so prepared statements are reused.
   */
  deliveries(eventsPart: string, merchantId: string, events: readonly OutboxEvent[], at: Date): StatementPart | undefined {
    const deliverable = [...new Set(events.map((event) => event.type))].filter((type) => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type));
    if (deliverable.length === 0) return undefined;
    return part(
      `${eventsPart}_deliveries`,
      Prisma.sql`
      INSERT INTO webhook_deliveries (id, endpoint_id, event_id, merchant_id, event_type, next_attempt_at, created_at, updated_at)
      SELECT ${DELIVERY_ID}, w.id, ev.id, w.merchant_id, ev.type, ${at}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3)
        FROM ${Prisma.raw(eventsPart)} ev
        JOIN webhook_endpoints w
          ON w.merchant_id = ${merchantId}::text AND w.status = 'enabled' AND w.deleted_at IS NULL AND ev.type = ANY (w.events)
       WHERE ev.type IN (${Prisma.join(deliverable.map((type) => Prisma.sql`${type}::text`))})
      RETURNING id`,
    );
  }
}
