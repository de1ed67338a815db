import { describe, expect, it } from 'vitest';
import { WebhookOutbox } from './webhook-outbox.store.js';

const at = new Date('2024-05-06T07:08:09.010Z');
const outbox = new WebhookOutbox();

describe('the webhook outbox part', () => {
  it('queues the deliverable event types once each, as parameters of a fixed SQL text', () => {
    const events = [
      { id: 'evt_1', type: 'payment.captured' },
      { id: 'evt_2', type: 'payment.refunded' },
      { id: 'evt_3', type: 'payment.captured' },
      { id: 'evt_4', type: 'payment.created' },
    ];
    const deliveries = outbox.deliveries('events', 'm_1', events, at)!;
    expect(deliveries.name).toBe('events_deliveries');
    // Pinned: the hot path's statement is prepared once per text; a changed text is a new statement.
    expect(deliveries.sql.text).toBe(
      [
        '',
        '      INSERT INTO webhook_deliveries (id, endpoint_id, event_id, merchant_id, event_type, next_attempt_at, created_at, updated_at)',
        "      SELECT 'whd_' || translate(rtrim(encode(decode(replace(gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '='), '+/', 'xx'), w.id, ev.id, w.merchant_id, ev.type, $1::timestamp(3), $2::timestamp(3), $3::timestamp(3)",
        '        FROM events ev',
        '        JOIN webhook_endpoints w',
        "          ON w.merchant_id = $4::text AND w.status = 'enabled' AND w.deleted_at IS NULL AND ev.type = ANY (w.events)",
        '       WHERE ev.type IN ($5::text,$6::text)',
        '      RETURNING id',
      ].join('\n'),
    );
    expect(deliveries.sql.values).toEqual([at, at, at, 'm_1', 'payment.captured', 'payment.refunded']);
  });

  it('reads the rows of the part it is given', () => {
    expect(outbox.deliveries('refund_events', 'm_1', [{ id: 'evt_1', type: 'payment.refunded' }], at)).toMatchObject({
      name: 'refund_events_deliveries',
      sql: { text: expect.stringContaining('FROM refund_events ev') },
    });
  });

  it('writes nothing when no event is deliverable', () => {
    expect(outbox.deliveries('events', 'm_1', [{ id: 'evt_1', type: 'payment.created' }], at)).toBeUndefined();
    expect(outbox.deliveries('events', 'm_1', [], at)).toBeUndefined();
  });
});
