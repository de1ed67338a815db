import { randomBytes } from 'node:crypto';
import { FakeProviderServer, type FakeReply, type FakeRequest } from '#provider-fakes';
import type Stripe from 'stripe';
import { child, parseForm, text, type FormObject } from './form.js';

/** The key the fake accepts unless told otherwise (`Authorization: Bearer …`). */
export const FAKE_SECRET_KEY = 'sk_test_fake_canopy_contract';

/** What a test card makes the fake do: Stripe's documented test cards, plus one fake-only lost reply. */
export type CardBehaviour =
  | { kind: 'approve' }
  | { kind: 'decline'; code: string; declineCode?: string; message: string }
  | { kind: '3ds' }
  | { kind: 'charge-then-hang' };

/** Stripe's test cards (docs.stripe.com/testing) the fake honours; any other Luhn-valid number is approved. */
export const FAKE_TEST_CARDS: Readonly<Record<string, CardBehaviour>> = {
  '4242424242424242': { kind: 'approve' },
  '5555555555554444': { kind: 'approve' },
  '4000000000000002': { kind: 'decline', code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
  '4000000000009995': { kind: 'decline', code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  '4000000000000069': { kind: 'decline', code: 'expired_card', declineCode: 'expired_card', message: 'Your card has expired.' },
  '4000000000000127': { kind: 'decline', code: 'incorrect_cvc', declineCode: 'incorrect_cvc', message: "Your card's security code is incorrect." },
  '4100000000000019': { kind: 'decline', code: 'card_declined', declineCode: 'fraudulent', message: 'Your card was declined.' },
  '4000000000009979': { kind: 'decline', code: 'card_declined', declineCode: 'stolen_card', message: 'Your card was declined.' },
  '4000000000009987': { kind: 'decline', code: 'card_declined', declineCode: 'lost_card', message: 'Your card was declined.' },
  '4000000000000119': { kind: 'decline', code: 'processing_error', message: 'An error occurred while processing your card. Try again in a little bit.' },
  '4000002500003155': { kind: '3ds' },
  '4000000000003220': { kind: '3ds' },
  // Fake-only (on real Stripe this number is a CVC-check card): the fake charges, then never answers.
  '4000000000000101': { kind: 'charge-then-hang' },
};

function luhn(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

export function behaviourOf(number: string): CardBehaviour {
  return FAKE_TEST_CARDS[number] ?? (luhn(number) ? { kind: 'approve' } : { kind: 'decline', code: 'incorrect_number', message: 'Your card number is incorrect.' });
}

export interface StripeFakeOptions {
  /** The secret key it accepts. */
  secretKey?: string;
  /** How long a new PaymentIntent stays invisible to search (Stripe: "usually within a minute"); 0 = at once. */
  searchLagMs?: number;
}

interface StoredReply {
  endpoint: string;
  body: string;
  reply: FakeReply;
}

type StripeErrorBody = { error: { type: string; code?: string; decline_code?: string; message: string; param?: string; payment_intent?: Stripe.PaymentIntent; charge?: string } };

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

function error(status: number, body: StripeErrorBody['error']): FakeReply {
  return { status, body: { error: body } satisfies StripeErrorBody, headers: { 'request-id': newId('req') } };
}

const invalid = (message: string, code?: string, param?: string) => error(400, { type: 'invalid_request_error', message, ...(code ? { code } : {}), ...(param ? { param } : {}) });
const ok = (body: unknown): FakeReply => ({ status: 200, body, headers: { 'request-id': newId('req') } });

/** A PaymentIntent as Stripe answers it, typed by the SDK: a misnamed or missing field does not compile. */
export function paymentIntentObject(fields: Pick<Stripe.PaymentIntent, 'amount' | 'currency' | 'capture_method' | 'metadata' | 'status'> & Partial<Stripe.PaymentIntent>): Stripe.PaymentIntent {
  const id = fields.id ?? newId('pi');
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
    confirmation_method: 'automatic',
    created: nowSeconds(),
    customer: null,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    transfer_group: null,
    ...fields,
  };
}

export function refundObject(fields: Pick<Stripe.Refund, 'amount' | 'currency' | 'payment_intent' | 'charge'> & Partial<Stripe.Refund>): Stripe.Refund {
  return {
    id: newId('re'),
    object: 'refund',
    balance_transaction: newId('txn'),
    created: nowSeconds(),
    customer: null,
    customer_account: null,
    metadata: {},
    payment_method: null,
    reason: null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
    ...fields,
  };
}

/**
 * A stateful wire-level fake of Stripe's PaymentIntents and Refunds API on 127.0.0.1, for the tests
 * and the contract's `provider.fake`. It speaks Stripe's wire format (form-encoded requests with
 * bracket notation, JSON objects and error objects with their HTTP statuses; checked against the
 * published OpenAPI in `stripe.fake.spec.ts`), replays by `Idempotency-Key` as Stripe does (same
 * key and body: the stored answer with `Idempotent-Replayed: true`; other body: 400
 * `idempotency_error`), and takes the faults of `FakeProviderServer` (`fake.server.inject`, `down`).
 */
export class StripeFake {
  readonly intents = new Map<string, Stripe.PaymentIntent>();
  readonly refunds = new Map<string, Stripe.Refund>();
  private readonly replies_ = new Map<string, StoredReply>();
  private readonly answered: FakeReply[] = [];
  private readonly indexedAt = new Map<string, number>();
  private readonly secretKey: string;
  searchLagMs: number;

  private constructor(
    readonly server: FakeProviderServer,
    options: StripeFakeOptions,
  ) {
    this.secretKey = options.secretKey ?? FAKE_SECRET_KEY;
    this.searchLagMs = options.searchLagMs ?? 0;
  }

  static async start(options: StripeFakeOptions = {}): Promise<StripeFake> {
    let fake: StripeFake | undefined;
    const server = await FakeProviderServer.start({ handler: (request) => fake!.handle(request) });
    fake = new StripeFake(server, options);
    return fake;
  }

  get url(): string {
    return this.server.url;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** Every answer it decided (before faults and lost replies), in order, for schema checks. */
  replies(): readonly FakeReply[] {
    return this.answered;
  }

  /** The parsed form bodies of the creates it received, for wire-level assertions. */
  createBodies(): FormObject[] {
    return this.server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents').map((r) => parseForm(r.body));
  }

  private handle(request: FakeRequest): FakeReply {
    const reply = this.decide(request);
    this.answered.push(reply);
    return reply;
  }

  private decide(request: FakeRequest): FakeReply {
    if (request.headers.authorization !== `Bearer ${this.secretKey}`) {
      return error(401, { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****' });
    }
    if (request.method !== 'POST') return this.read(request);
    const key = request.headers['idempotency-key'];
    const idempotencyKey = Array.isArray(key) ? key[0] : key;
    const endpoint = `${request.method} ${request.path}`;
    if (idempotencyKey) {
      const stored = this.replies_.get(idempotencyKey);
      if (stored) {
        if (stored.endpoint !== endpoint || stored.body !== request.body) {
          return error(400, { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.` });
        }
        // The stored answer, as it was decided: a lost reply is not lost twice.
        const { then: _then, ...reply } = stored.reply;
        return { ...reply, headers: { ...reply.headers, 'idempotent-replayed': 'true', 'idempotency-key': idempotencyKey } };
      }
    }
    const reply = this.write(request.path, parseForm(request.body));
    if (idempotencyKey) this.replies_.set(idempotencyKey, { endpoint, body: request.body, reply });
    return idempotencyKey ? { ...reply, headers: { ...reply.headers, 'idempotency-key': idempotencyKey } } : reply;
  }

  private read(request: FakeRequest): FakeReply {
    if (request.path === '/v1/payment_intents/search') return this.search(request.query.get('query') ?? '');
    if (request.path === '/v1/payment_intents') {
      // Newest first, like Stripe; `created[gte]` filters, `limit` pages (no indexing delay, unlike search).
      const gte = Number(request.query.get('created[gte]') ?? 0);
      const limit = Number(request.query.get('limit') ?? 10);
      const all = [...this.intents.values()].filter((pi) => pi.created >= gte).reverse();
      return ok({ object: 'list', data: all.slice(0, limit), has_more: all.length > limit, url: '/v1/payment_intents' });
    }
    if (request.path === '/v1/refunds') {
      const pi = request.query.get('payment_intent');
      return ok({ object: 'list', data: [...this.refunds.values()].filter((r) => !pi || r.payment_intent === pi), has_more: false, url: '/v1/refunds' });
    }
    const match = /^\/v1\/payment_intents\/([^/]+)$/.exec(request.path);
    if (match) {
      const intent = this.intents.get(match[1]!);
      return intent ? ok(intent) : error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'intent', message: `No such payment_intent: '${match[1]}'` });
    }
    return error(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${request.path}).` });
  }

  /** Only the query the adapter sends: `metadata['key']:'value'`. */
  private search(query: string): FakeReply {
    const match = /^metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(query);
    if (!match) return invalid(`The fake only searches metadata['key']:'value' (got ${query})`, 'parameter_invalid_string', 'query');
    const [, key, rawValue] = match;
    const value = rawValue!.replace(/\\(.)/g, '$1');
    const now = Date.now();
    const data = [...this.intents.values()].filter((pi) => pi.metadata[key!] === value && (this.indexedAt.get(pi.id) ?? 0) <= now);
    return ok({ object: 'search_result', data, has_more: false, next_page: null, url: '/v1/payment_intents/search' });
  }

  private write(path: string, form: FormObject): FakeReply {
    if (path === '/v1/payment_intents') return this.create(form);
    if (path === '/v1/refunds') return this.refund(form);
    const match = /^\/v1\/payment_intents\/([^/]+)\/(capture|cancel)$/.exec(path);
    if (match) {
      const intent = this.intents.get(match[1]!);
      if (!intent) return error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'intent', message: `No such payment_intent: '${match[1]}'` });
      return match[2] === 'capture' ? this.capture(intent, form) : this.cancel(intent);
    }
    return error(404, { type: 'invalid_request_error', message: `Unrecognized request URL (POST: ${path}).` });
  }

  private create(form: FormObject): FakeReply {
    const amount = Number(text(form, 'amount'));
    const currency = text(form, 'currency');
    if (!Number.isSafeInteger(amount) || amount < 1) return invalid('Invalid integer: amount', 'parameter_invalid_integer', 'amount');
    if (!currency || !/^[a-z]{3}$/.test(currency)) return invalid('Invalid currency', 'parameter_invalid_string', 'currency');
    const captureMethod = text(form, 'capture_method') === 'manual' ? 'manual' : 'automatic';
    const pmd = child(form, 'payment_method_data');
    const card = child(pmd, 'card');
    const number = text(card, 'number');
    if (text(form, 'confirm') !== 'true' || text(pmd, 'type') !== 'card' || !number) {
      return invalid('The fake only creates confirmed PaymentIntents with payment_method_data[type]=card and raw card details', 'parameter_missing', 'payment_method_data');
    }
    const metadata = Object.fromEntries(Object.entries(child(form, 'metadata')).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const charge = newId('ch');
    const base = { amount, currency, capture_method: captureMethod, metadata, payment_method: newId('pm'), latest_charge: charge } as const;
    const behaviour = behaviourOf(number);
    let intent: Stripe.PaymentIntent;
    let reply: FakeReply;
    if (behaviour.kind === 'decline') {
      const lastError: Stripe.PaymentIntent.LastPaymentError = { type: 'card_error', code: behaviour.code, message: behaviour.message, charge, ...(behaviour.declineCode ? { decline_code: behaviour.declineCode } : {}) };
      intent = paymentIntentObject({ ...base, status: 'requires_payment_method', last_payment_error: lastError, payment_method: null });
      reply = error(402, { type: 'card_error', code: behaviour.code, ...(behaviour.declineCode ? { decline_code: behaviour.declineCode } : {}), message: behaviour.message, charge, payment_intent: intent });
    } else if (behaviour.kind === '3ds') {
      intent = paymentIntentObject({ ...base, status: 'requires_action', latest_charge: null, next_action: { type: 'use_stripe_sdk', use_stripe_sdk: {} } });
      reply = ok(intent);
    } else {
      const captured = captureMethod === 'automatic';
      intent = paymentIntentObject({ ...base, status: captured ? 'succeeded' : 'requires_capture', amount_capturable: captured ? 0 : amount, amount_received: captured ? amount : 0 });
      reply = { ...ok(intent), ...(behaviour.kind === 'charge-then-hang' ? { then: 'hang' as const } : {}) };
    }
    this.intents.set(intent.id, intent);
    this.indexedAt.set(intent.id, Date.now() + this.searchLagMs);
    return reply;
  }

  private capture(intent: Stripe.PaymentIntent, form: FormObject): FakeReply {
    if (intent.status !== 'requires_capture') {
      return invalid(`This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`, 'payment_intent_unexpected_state');
    }
    const requested = text(form, 'amount_to_capture');
    const amount = requested === undefined ? intent.amount_capturable : Number(requested);
    if (!Number.isSafeInteger(amount) || amount < 1) return invalid('Invalid integer: amount_to_capture', 'parameter_invalid_integer', 'amount_to_capture');
    if (amount > intent.amount_capturable) return invalid(`The amount to capture (${amount}) is greater than the amount capturable (${intent.amount_capturable}).`, 'amount_too_large', 'amount_to_capture');
    // A partial capture releases the rest of the authorization, as on Stripe.
    const captured: Stripe.PaymentIntent = { ...intent, status: 'succeeded', amount_capturable: 0, amount_received: amount };
    this.intents.set(intent.id, captured);
    return ok(captured);
  }

  private cancel(intent: Stripe.PaymentIntent): FakeReply {
    if (intent.status === 'succeeded' || intent.status === 'canceled') {
      return invalid(`You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`, 'payment_intent_unexpected_state');
    }
    const canceled: Stripe.PaymentIntent = { ...intent, status: 'canceled', amount_capturable: 0, canceled_at: nowSeconds(), next_action: null };
    this.intents.set(intent.id, canceled);
    return ok(canceled);
  }

  private refund(form: FormObject): FakeReply {
    const id = text(form, 'payment_intent');
    const intent = id ? this.intents.get(id) : undefined;
    if (!intent) return error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_intent', message: `No such payment_intent: '${id}'` });
    if (intent.status !== 'succeeded') return invalid(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, 'charge_not_captured', 'payment_intent');
    const refunded = [...this.refunds.values()].filter((r) => r.payment_intent === intent.id).reduce((sum, r) => sum + r.amount, 0);
    const remaining = intent.amount_received - refunded;
    if (remaining <= 0) return invalid(`Charge ${intent.latest_charge} has already been refunded.`, 'charge_already_refunded');
    const requested = text(form, 'amount');
    const amount = requested === undefined ? remaining : Number(requested);
    if (!Number.isSafeInteger(amount) || amount < 1) return invalid('Invalid integer: amount', 'parameter_invalid_integer', 'amount');
    if (amount > remaining) return invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, 'amount_too_large', 'amount');
    const refund = refundObject({ amount, currency: intent.currency, payment_intent: intent.id, charge: typeof intent.latest_charge === 'string' ? intent.latest_charge : null });
    this.refunds.set(refund.id, refund);
    return ok(refund);
  }
}
