// The floor's create-payment: the same durable writes the gateway makes for one payment, with the
// same commits, written by hand over a bare driver (no framework, no ORM):
//   auth:   SELECT the API key by its SHA-256 hash                      (autocommit read)
//   commit 1 (claim):  INSERT idempotency_records ON CONFLICT DO NOTHING RETURNING key,
//                      INSERT payments (pending), INSERT payment_events (payment.created) + outbox
//   provider call: an in-process stand-in for the simulator leaf (no I/O)
//   commit 2 (record): UPDATE payments, INSERT attempts, INSERT payment_events (2 rows when
//                      captured at once) + outbox, UPDATE idempotency_records with the response body
// "+ outbox": an event write with deliverable events (all but payment.created) also inserts one
// delivery per webhook endpoint of the merchant subscribed to its type.
// Two ways to write each commit: FUSED_STATEMENTS (floor/fused-writes.mjs), one statement per
// commit as the gateway sends them, is the floor's default; PER_ROW_STATEMENTS, one statement per
// row write inside BEGIN … COMMIT (13 per payment: what the gateway sent before), is kept to show
// what fusing buys. Keep the fused ones in step with apps/gateway/src/idempotency/
// idempotency.repository.ts, payments/persistence/payment-writes.ts and payment-event-log.ts.
import { createHash, randomBytes } from 'node:crypto';
// The same pure helpers the gateway runs (from the build the harness makes first), so the floor
// differs from the gateway only in framework and ORM, not in what it computes.
import { requestFingerprint } from '../../dist/apps/gateway/src/idempotency/http/request-fingerprint.js';
import { detectBrand, isLuhnValid } from '../../dist/libs/gateway-spi/src/card.js';
import { FUSED_STATEMENTS } from './fused-writes.mjs';

const RETENTION_MS = 48 * 60 * 60 * 1000;

const SQL = {
  apiKey: 'SELECT "merchant_id", "revoked_at" FROM "public"."api_keys" WHERE "hash" = $1 LIMIT 1',
  claim: `INSERT INTO idempotency_records
      (merchant_id, key, request_hash, state, resource_id, created_at, updated_at, expires_at)
    VALUES ($1, $2, $3, 'in_flight', $4, $5, $6, $7)
    ON CONFLICT (merchant_id, key) DO NOTHING
    RETURNING key`,
  insertPayment: `INSERT INTO "public"."payments" ("id","merchant_id","status","amount","amount_captured",
      "amount_refunded","currency","capture","method_type","card_brand","card_bin","card_last4","card_exp_month",
      "card_exp_year","customer_country","description","metadata","decline_code","failure_message","route_path",
      "holding_attempt_id","provider_reference","operation_in_flight","operation_started_at","created_at","updated_at")
    VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26)`,
  insertEvents: (rows) =>
    `INSERT INTO "public"."payment_events" ("id","payment_id","merchant_id","type","from_status","to_status","data","created_at") VALUES ${rows
      .map((_, r) => `(${Array.from({ length: 8 }, (_, c) => `$${r * 8 + c + 1}`).join(',')})`)
      .join(', ')}`,
  updatePayment: `UPDATE "public"."payments" SET "status" = $1, "amount_captured" = $2, "decline_code" = $3,
      "failure_message" = $4, "route_path" = $5, "holding_attempt_id" = $6, "provider_reference" = $7, "updated_at" = $8
    WHERE "id" = $9`,
  insertAttempt: `INSERT INTO "public"."attempts" ("id","payment_id","seq","path","outcome","code","reason","latency_ms",
      "provider_reference","created_at") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
  completeKey: `UPDATE "public"."idempotency_records" SET "state" = $1, "response_status" = $2, "response_body" = $3,
      "updated_at" = $4 WHERE "merchant_id" = $5 AND "key" = $6`,
  outboxEndpoints: `SELECT "id", "events" FROM "public"."webhook_endpoints"
    WHERE "merchant_id" = $1 AND "status" = 'enabled' AND "deleted_at" IS NULL AND "events" && $2::text[]`,
  insertDeliveries: (rows) =>
    `INSERT INTO "public"."webhook_deliveries" ("id","endpoint_id","event_id","merchant_id","event_type","next_attempt_at","created_at","updated_at") VALUES ${rows
      .map((_, r) => `(${Array.from({ length: 8 }, (_, c) => `$${r * 8 + c + 1}`).join(',')})`)
      .join(', ')}`,
  replay: 'SELECT request_hash, state, response_status, response_body FROM idempotency_records WHERE merchant_id = $1 AND key = $2',
};

export const FLOOR_SQL = SQL;

/** A failure answered with an HTTP status (validation, auth, idempotency conflicts). */
export class FloorError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const newId = (prefix) => `${prefix}_${randomBytes(16).toString('base64url').replace(/[-_]/g, 'x')}`;
export const hashSecret = (secret) => createHash('sha256').update(secret).digest('hex');

/** The leaf's side of an approved authorization: an in-memory ledger entry, no I/O. */
const ledger = new Map();
function authorizeAtProvider(attemptId, amount, capture) {
  const providerReference = `simch_${randomBytes(8).toString('hex')}`;
  ledger.set(attemptId, { amount, captured: capture ? amount : 0, providerReference });
  if (ledger.size > 100_000) ledger.clear();
  return { outcome: 'approved', code: null, providerReference, amountCaptured: capture ? amount : 0 };
}

/**
 * How the two commits are written. This one: one statement per row write, inside a BEGIN … COMMIT
 * each (floor/fused-writes.mjs writes the same rows in one statement per commit, as the gateway does).
 */
export const PER_ROW_STATEMENTS = {
  name: 'per-row statements',
  /** Commit 1: claim the key and record the payment pending; false when the key was taken. */
  claim: (db, c) =>
    db.transaction(async (query) => {
      const inserted = await query(SQL.claim, [c.merchantId, c.idempotencyKey, c.fingerprint, c.payment.id, c.at, c.at, c.expiresAt]);
      if (inserted.length === 0) return false;
      const p = c.payment;
      await query(SQL.insertPayment, [
        p.id, p.merchantId, 'pending', p.amount, 0, 0, p.currency, p.capture, 'card', p.brand, p.bin, p.last4, p.expMonth,
        p.expYear, p.country, p.description, JSON.stringify(p.metadata), null, null, null, null, null, null, null, c.at, c.at,
      ]);
      await insertEvents(query, p, c.events, c.at);
      return true;
    }),
  /** Commit 2: the outcome, its attempt and events, and the stored response, together. */
  record: (db, r) =>
    db.transaction(async (query) => {
      const a = r.attempt;
      await query(SQL.updatePayment, [r.status, r.amountCaptured, null, null, a.path, a.id, a.providerReference, r.at, r.payment.id]);
      await query(SQL.insertAttempt, [a.id, r.payment.id, a.seq, a.path, a.outcome, a.code, a.reason, a.latencyMs, a.providerReference, r.at]);
      await insertEvents(query, r.payment, r.events, r.at);
      await query(SQL.completeKey, ['completed', 201, r.responseBody, r.at, r.payment.merchantId, r.idempotencyKey]);
    }),
};

/**
 * One create-payment on `db` (`{query(text, values) → rows, transaction(fn(query))}`), its two
 * commits written by `writer`.
 * @returns {Promise<{status: number, body: string, replayed: boolean}>}
 */
export async function createPayment(db, { authorization, idempotencyKey, body }, writer = FUSED_STATEMENTS) {
  const apiKey = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!apiKey) throw new FloorError(401, 'unauthenticated', 'Provide your API key as "Authorization: Bearer sk_…".');
  const [key] = await db.query(SQL.apiKey, [hashSecret(apiKey)]);
  if (!key || key.revoked_at) throw new FloorError(401, 'unauthenticated', 'Invalid API key provided.');
  const merchantId = key.merchant_id;
  if (!idempotencyKey || !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
    throw new FloorError(400, 'idempotency_key_missing', 'Send one Idempotency-Key header.');
  }
  const dto = validate(body);
  const fingerprint = requestFingerprint('POST', '/v1/payments', body);

  const card = dto.payment_method.card;
  const paymentId = newId('pay');
  const attemptId = `${paymentId}_a1`;
  const createdAt = new Date();
  const payment = {
    id: paymentId,
    merchantId,
    status: 'pending',
    amount: dto.amount,
    amountCaptured: 0,
    currency: dto.currency.toUpperCase(),
    capture: dto.capture ?? true,
    brand: detectBrand(card.number),
    bin: card.number.slice(0, 6),
    last4: card.number.slice(-4),
    expMonth: card.exp_month,
    expYear: card.exp_year,
    country: dto.customer?.country?.toUpperCase() ?? null,
    description: dto.description ?? null,
    metadata: dto.metadata ?? {},
  };

  const claimed = await writer.claim(db, {
    merchantId,
    idempotencyKey,
    fingerprint,
    payment,
    at: createdAt.toISOString(),
    expiresAt: new Date(createdAt.getTime() + RETENTION_MS).toISOString(),
    events: [{ id: newId('evt'), from: null, to: 'pending', type: 'payment.created', data: {} }],
  });
  if (!claimed) return replay(db, merchantId, idempotencyKey, fingerprint);

  const started = performance.now();
  const outcome = authorizeAtProvider(attemptId, payment.amount, payment.capture);
  const latencyMs = Math.round(performance.now() - started);
  const updatedAt = new Date();
  const status = payment.capture ? 'captured' : 'authorized';
  const routePath = 'root/l2/leaf';
  const settled = { ...payment, status, amountCaptured: outcome.amountCaptured, routePath, updatedAt };
  const attempt = { id: attemptId, seq: 1, path: routePath, outcome: 'approved', code: null, reason: 'priority 1', latencyMs, providerReference: outcome.providerReference };
  const responseBody = JSON.stringify(present(settled, createdAt, [attempt]));
  const data = { route_path: routePath, code: null };
  const events = payment.capture
    ? [
        { id: newId('evt'), from: 'pending', to: 'authorized', type: 'payment.authorized', data },
        { id: newId('evt'), from: 'authorized', to: 'captured', type: 'payment.captured', data: { ...data, amount: outcome.amountCaptured } },
      ]
    : [{ id: newId('evt'), from: 'pending', to: 'authorized', type: 'payment.authorized', data }];
  await writer.record(db, {
    payment,
    idempotencyKey,
    status,
    amountCaptured: outcome.amountCaptured,
    attempt,
    events,
    responseBody,
    at: updatedAt.toISOString(),
  });
  return { status: 201, body: responseBody, replayed: false };
}

async function insertEvents(query, payment, events, at) {
  const values = events.flatMap((e) => [e.id, payment.id, payment.merchantId, e.type, e.from, e.to, JSON.stringify(e.data), at]);
  await query(SQL.insertEvents(events), values);
  // The webhook outbox, in the same transaction as the events.
  const deliverable = events.filter((e) => e.type !== 'payment.created');
  if (deliverable.length === 0) return;
  const endpoints = await query(SQL.outboxEndpoints, [payment.merchantId, deliverable.map((e) => e.type)]);
  const deliveries = endpoints.flatMap((endpoint) =>
    deliverable.filter((e) => endpoint.events.includes(e.type)).map((e) => [newId('whd'), endpoint.id, e.id, payment.merchantId, e.type, at, at, at]),
  );
  if (deliveries.length > 0) await query(SQL.insertDeliveries(deliveries), deliveries.flat());
}

async function replay(db, merchantId, key, fingerprint) {
  const [record] = await db.query(SQL.replay, [merchantId, key]);
  if (!record) throw new FloorError(409, 'idempotency_key_in_flight', 'retry');
  if (record.request_hash !== fingerprint) throw new FloorError(422, 'idempotency_key_reused', 'different request');
  if (record.state !== 'completed') throw new FloorError(409, 'idempotency_key_in_flight', 'in flight');
  return { status: record.response_status, body: record.response_body, replayed: true };
}

function validate(body) {
  const problems = [];
  const b = body && typeof body === 'object' ? body : {};
  if (!Number.isInteger(b.amount) || b.amount < 1 || b.amount > 99_999_999) problems.push('amount');
  if (typeof b.currency !== 'string' || !/^[A-Za-z]{3}$/.test(b.currency)) problems.push('currency');
  if (b.capture !== undefined && typeof b.capture !== 'boolean') problems.push('capture');
  const card = b.payment_method?.card;
  if (b.payment_method?.type !== 'card' || !card) problems.push('payment_method');
  else {
    if (typeof card.number !== 'string' || !isLuhnValid(card.number)) problems.push('payment_method.card.number');
    if (!Number.isInteger(card.exp_month) || card.exp_month < 1 || card.exp_month > 12) problems.push('exp_month');
    if (!Number.isInteger(card.exp_year) || card.exp_year < 2000 || card.exp_year > 2100) problems.push('exp_year');
    if (card.cvc !== undefined && !/^\d{3,4}$/.test(card.cvc)) problems.push('cvc');
  }
  if (b.customer?.country !== undefined && !/^[A-Za-z]{2}$/.test(b.customer.country)) problems.push('customer.country');
  if (b.metadata !== undefined && (typeof b.metadata !== 'object' || Array.isArray(b.metadata))) problems.push('metadata');
  if (problems.length > 0) throw new FloorError(400, 'parameter_invalid', `invalid: ${problems.join(', ')}`);
  return b;
}

/** The payment object of API.md, as the gateway presents it. */
function present(p, createdAt, attempts) {
  return {
    id: p.id,
    object: 'payment',
    status: p.status,
    amount: p.amount,
    amount_captured: p.amountCaptured,
    amount_refunded: 0,
    currency: p.currency,
    capture: p.capture,
    payment_method: { type: 'card', card: { brand: p.brand, bin: p.bin, last4: p.last4, exp_month: p.expMonth, exp_year: p.expYear } },
    customer: { country: p.country },
    description: p.description,
    decline_code: null,
    failure_message: null,
    route: {
      path: p.routePath,
      attempts: attempts.map((a) => ({ id: a.id, path: a.path, outcome: a.outcome, code: a.code, reason: a.reason, latency_ms: a.latencyMs })),
    },
    metadata: p.metadata,
    created_at: createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

/** Seeds a merchant and one API key; returns the key. */
export async function seedMerchant(db) {
  const merchantId = newId('mer');
  const apiKey = `sk_test_${randomBytes(32).toString('base64url')}`;
  await db.transaction(async (query) => {
    await query('INSERT INTO merchants (id, name) VALUES ($1, $2)', [merchantId, 'Bench floor']);
    await query('INSERT INTO api_keys (id, merchant_id, hash, prefix) VALUES ($1, $2, $3, $4)', [
      newId('key'), merchantId, hashSecret(apiKey), apiKey.slice(0, 12),
    ]);
  });
  return { merchantId, apiKey };
}
