import { Inject, Injectable } from '@nestjs/common';
import { part, Prisma, type StatementPart } from '#persistence';
import { newId } from '../../common/ids.js';
import { EVENT_TYPE_FOR_STATUS, type StatusChange } from '../domain/payment-status.js';
import { PAYMENT_EVENT_OUTBOX, type PaymentEventOutbox } from '../ports/event-outbox.port.js';

/**
 * A payment's event log: its state changes, appended in order (`seq` follows the VALUES order),
 * each handed to the outbox in the same write.
 */
@Injectable()
export class PaymentEventLog {
  constructor(@Inject(PAYMENT_EVENT_OUTBOX) private readonly outbox: PaymentEventOutbox) {}

  /**
   * The parts appending `changes` and their outbox rows. `gate` names a part that must have
   * returned a row for anything to be written (e.g. the pending payment of a claimed key).
   */
  parts(payment: { id: string; merchantId: string }, changes: readonly StatusChange[], at: Date, gate?: string): StatementPart[] {
    if (changes.length === 0) return [];
    const events = changes.map((change) => ({ ...change, id: newId('evt'), type: change.type ?? EVENT_TYPE_FOR_STATUS[change.to] }));
    const rows = events.map(
      (event) => Prisma.sql`(${event.id}::text, ${payment.id}::text, ${payment.merchantId}::text, ${event.type}::text,
      ${event.from}::text, ${event.to}::text, ${JSON.stringify(event.data ?? {})}::jsonb, ${at}::timestamp(3))`,
    );
    const source = gate ? Prisma.sql`SELECT v.* FROM (VALUES ${Prisma.join(rows)}) v CROSS JOIN ${Prisma.raw(gate)}` : Prisma.sql`VALUES ${Prisma.join(rows)}`;
    const inserted = part(
      'events',
      Prisma.sql`
      INSERT INTO payment_events (id, payment_id, merchant_id, type, from_status, to_status, data, created_at)
      ${source}
      RETURNING id, type`,
    );
    const deliveries = this.outbox.deliveries(inserted.name, payment.merchantId, events, at);
    return deliveries ? [inserted, deliveries] : [inserted];
  }
}
