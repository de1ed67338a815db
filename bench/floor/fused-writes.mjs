// The same rows as floor/payment-writes.mjs (PER_ROW_STATEMENTS), but each commit is ONE
// statement: data-modifying CTEs, atomic on their own (autocommit), so a payment costs three round
// trips (API-key read, claim, record) instead of fourteen, with the same two durable commits.
// This is what the gateway sends (libs/persistence/src/unit-of-work.ts and the units it runs), and
// the floor's default. A failed guard (payment or key row missing) divides by zero, which aborts
// the whole statement.

const OUTBOX = (eventsCte, merchant, at) => `
  INSERT INTO webhook_deliveries (id, endpoint_id, event_id, merchant_id, event_type, next_attempt_at, created_at, updated_at)
  SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), w.id, ev.id, ${merchant}, ev.type, ${at}, ${at}, ${at}
  FROM ${eventsCte} ev
  JOIN webhook_endpoints w ON w.merchant_id = ${merchant} AND w.status = 'enabled' AND w.deleted_at IS NULL AND ev.type = ANY (w.events)
  WHERE ev.type <> 'payment.created'`;

const CLAIM = `
WITH claimed AS (
  INSERT INTO idempotency_records (merchant_id, key, request_hash, state, resource_id, created_at, updated_at, expires_at)
  VALUES ($1, $2, $3, 'in_flight', $4, $5::timestamp(3), $5::timestamp(3), $6::timestamp(3))
  ON CONFLICT (merchant_id, key) DO NOTHING
  RETURNING key
), payment AS (
  INSERT INTO payments (id, merchant_id, status, amount, amount_captured, amount_refunded, currency, capture, method_type,
    card_brand, card_bin, card_last4, card_exp_month, card_exp_year, customer_country, description, metadata, created_at, updated_at)
  SELECT $4, $1, 'pending', $7::int, 0, 0, $8, $9::boolean, 'card', $10, $11, $12, $13::int, $14::int, $15, $16, $17::jsonb,
    $5::timestamp(3), $5::timestamp(3)
  FROM claimed
  RETURNING id
), events AS (
  INSERT INTO payment_events (id, payment_id, merchant_id, type, from_status, to_status, data, created_at)
  SELECT $18, id, $1, 'payment.created', NULL, 'pending', '{}'::jsonb, $5::timestamp(3) FROM payment
  RETURNING id, type
), outbox AS (${OUTBOX('events', '$1', '$5::timestamp(3)')})
SELECT key FROM claimed`;

const RECORD = (eventCount) => `
WITH payment AS (
  UPDATE payments SET status = $1, amount_captured = $2::int, route_path = $3, holding_attempt_id = $4, provider_reference = $5,
    updated_at = $6::timestamp(3)
  WHERE id = $7
  RETURNING id
), attempt AS (
  INSERT INTO attempts (id, payment_id, seq, path, outcome, code, reason, latency_ms, provider_reference, created_at)
  VALUES ($4, $7, $8::int, $3, $9, NULL, $10, $11::int, $5, $6::timestamp(3))
), events AS (
  INSERT INTO payment_events (id, payment_id, merchant_id, type, from_status, to_status, data, created_at)
  VALUES ${Array.from({ length: eventCount }, (_, i) => {
    const b = 15 + i * 5;
    return `($${b}, $7, $12, $${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}::jsonb, $6::timestamp(3))`;
  }).join(', ')}
  RETURNING id, type
), outbox AS (${OUTBOX('events', '$12', '$6::timestamp(3)')}
), completed AS (
  UPDATE idempotency_records SET state = 'completed', response_status = 201, response_body = $13, updated_at = $6::timestamp(3)
  WHERE merchant_id = $12 AND key = $14
  RETURNING key
)
SELECT 1 / ((SELECT count(*) FROM payment) * (SELECT count(*) FROM completed))::int AS ok`;

export const FUSED_STATEMENTS = {
  name: 'fused statements',
  async claim(db, c) {
    const p = c.payment;
    const rows = await db.query(CLAIM, [
      c.merchantId, c.idempotencyKey, c.fingerprint, p.id, c.at, c.expiresAt, p.amount, p.currency, p.capture, p.brand, p.bin,
      p.last4, p.expMonth, p.expYear, p.country, p.description, JSON.stringify(p.metadata), c.events[0].id,
    ]);
    return rows.length > 0;
  },
  async record(db, r) {
    const a = r.attempt;
    await db.query(RECORD(r.events.length), [
      r.status, r.amountCaptured, a.path, a.id, a.providerReference, r.at, r.payment.id, a.seq, a.outcome, a.reason, a.latencyMs,
      r.payment.merchantId, r.responseBody, r.idempotencyKey,
      ...r.events.flatMap((e) => [e.id, e.type, e.from, e.to, JSON.stringify(e.data)]),
    ]);
  },
};
