import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FakeProviderServer, SPECS_DIR, type FakeReply, type FakeRequest } from '#provider-fakes';
import Stripe from 'stripe';
import { AuthenticationPages, type ShopperChoice } from './authentication-page.js';
import { chargeCardOf, chargeObject, type ChargeCard } from './charge.js';
import { child, parseForm, text, type FormObject } from './form.js';
import { receivedStoredCredential, type ReceivedStoredCredential } from './stored-credential.js';
import { signEvent, WebhookSender, type FakeWebhookEndpoint, type SignedEvent, type WebhookDelivery } from './webhook-sender.js';

export type { FakeWebhookEndpoint, SignedEvent, WebhookDelivery } from './webhook-sender.js';
export { signEvent } from './webhook-sender.js';
export type { ReceivedStoredCredential } from './stored-credential.js';

/** What a PaymentIntent's create said about its stored credential, and the network transaction id its charge got. */
export interface FakeStoredCredential {
  received: ReceivedStoredCredential;
  /** The charge's `payment_method_details.card.network_transaction_id` (null: no approved charge yet). */
  networkTransactionId: string | null;
}

/** The key the fake accepts unless told otherwise (`Authorization: Bearer …`). */
export const FAKE_SECRET_KEY = 'sk_test_fake_canopy_contract';

type Decline = { kind: 'decline'; code: string; declineCode?: string; message: string };

/**
 * What a test card makes the fake do: Stripe's documented test cards, plus one fake-only lost reply.
 * `challenge`: 3-D Secure with a challenge; once the shopper completes it the payment is approved, or
 * declined with `afterwards` (Stripe's 4000008400001629). Confirmed `off_session`, nobody can take the
 * challenge: declined `authentication_required`, unless a merchant-initiated exemption (the first
 * payment's network transaction id) is given and the card is not `always` (Stripe's 4000002760003184,
 * "requires authentication on all transactions, regardless of how the card is set up").
 */
export type CardBehaviour = { kind: 'approve' } | Decline | { kind: 'challenge'; afterwards?: Decline; always?: boolean } | { kind: 'charge-then-hang' };

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
  // 3-D Secure: "requires authentication for one-time payments", "3DS2 authentication must be completed",
  // "3DS required, the charge is declined after authentication (card_declined)", and a frictionless one
  // (authentication supported, no challenge: approved at once).
  '4000002500003155': { kind: 'challenge' },
  '4000000000003220': { kind: 'challenge' },
  '4000008400001629': { kind: 'challenge', afterwards: { kind: 'decline', code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' } },
  '4000000000003055': { kind: 'approve' },
  '4000002760003184': { kind: 'challenge', always: true },
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
  /** Waits between webhook delivery attempts (ms) until a 2xx; their count is the number of retries. Default [50, 250, 1000]. */
  webhookRetryDelaysMs?: readonly number[];
}

/** The API version Stripe renders events in: the SDK's own (as for an endpoint created with it). */
const EVENT_API_VERSION = Stripe.API_VERSION;

interface StoredReply {
  endpoint: string;
  body: string;
  reply: FakeReply;
}

/** The object an event of `type` carries in `data.object`, as the SDK types it. */
export type EventObject<T extends Stripe.Event['type']> = Extract<Stripe.Event, { type: T }>['data']['object'];

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

/** An event as Stripe renders it (`object: 'event'`, the object a snapshot at the time), typed by its `type`. */
export function eventObject<T extends Stripe.Event['type']>(
  type: T,
  object: EventObject<T>,
  options: { id?: string; previousAttributes?: Record<string, unknown>; pendingWebhooks?: number; request?: Stripe.Event.Request } = {},
): Stripe.Event {
  return {
    id: options.id ?? newId('evt'),
    object: 'event',
    api_version: EVENT_API_VERSION,
    created: nowSeconds(),
    data: { object: structuredClone(object), ...(options.previousAttributes ? { previous_attributes: options.previousAttributes } : {}) },
    livemode: false,
    pending_webhooks: options.pendingWebhooks ?? 1,
    request: options.request ?? { id: null, idempotency_key: null },
    type,
  } as Stripe.Event;
}

/** Stripe's published example dispute (fixtures3.json) with the fields of this one. */
export function disputeObject(fields: Pick<Stripe.Dispute, 'amount' | 'currency' | 'charge' | 'payment_intent' | 'reason'>): Stripe.Dispute {
  const example = (JSON.parse(readFileSync(new URL('stripe-fixtures3.json', SPECS_DIR), 'utf8')) as { resources: { dispute: Stripe.Dispute } }).resources.dispute;
  return { ...example, id: newId('dp'), created: nowSeconds(), status: 'needs_response', balance_transactions: [], ...fields };
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
  /** The Charges of confirmations that reached the card network (approved or declined), by id. */
  readonly charges = new Map<string, Stripe.Charge>();
  /** Every event that happened, oldest first (what Stripe's `/v1/events` lists). */
  readonly events: Stripe.Event[] = [];
  /** Refunds created from now on stay `pending` until `settleRefund` (Stripe: some card refunds take days). */
  refundsStartPending = false;
  private readonly webhooks: WebhookSender;
  private readonly creation = new Map<string, { behaviour: CardBehaviour; returnUrl: string | null; card: ChargeCard; storedCredential: ReceivedStoredCredential }>();
  private readonly replies_ = new Map<string, StoredReply>();
  private readonly answered: FakeReply[] = [];
  private readonly indexedAt = new Map<string, number>();
  private readonly secretKey: string;
  searchLagMs: number;

  private pages!: AuthenticationPages;

  private constructor(
    readonly server: FakeProviderServer,
    options: StripeFakeOptions,
  ) {
    this.secretKey = options.secretKey ?? FAKE_SECRET_KEY;
    this.searchLagMs = options.searchLagMs ?? 0;
    this.webhooks = new WebhookSender(options.webhookRetryDelaysMs ?? [50, 250, 1000]);
  }

  static async start(options: StripeFakeOptions = {}): Promise<StripeFake> {
    let fake: StripeFake | undefined;
    const server = await FakeProviderServer.start({ handler: (request) => fake!.handle(request) });
    fake = new StripeFake(server, options);
    const self = fake;
    fake.pages = await AuthenticationPages.start({
      describe: (id, clientSecret) => {
        const intent = self.waitingIntent(id, clientSecret);
        return intent && { amount: intent.amount, currency: intent.currency };
      },
      choose: (id, clientSecret, choice) => self.authenticate(id, clientSecret, choice),
    });
    return fake;
  }

  /** The API's base URL (the adapter's `api_base`). */
  get url(): string {
    return this.server.url;
  }

  /** The base URL of the 3-D Secure pages (Stripe's hooks.stripe.com). */
  get pagesUrl(): string {
    return this.pages.url;
  }

  async close(): Promise<void> {
    for (const endpoint of [...this.webhooks.endpoints]) this.webhooks.remove(endpoint.id);
    await Promise.all([this.server.close(), this.pages.close()]);
  }

  /**
   * Registers a webhook endpoint (Stripe's dashboard / `POST /v1/webhook_endpoints`): from now on every
   * event is posted there, signed with `secret` (default: a new `whsec_…`), retried until a 2xx.
   */
  addWebhookEndpoint(url: string, secret?: string): FakeWebhookEndpoint {
    return this.webhooks.add(url, secret);
  }

  removeWebhookEndpoint(id: string): void {
    this.webhooks.remove(id);
  }

  /** Every POST made to the endpoints, retries included, with the exact body and signed headers sent. */
  webhookDeliveries(): readonly WebhookDelivery[] {
    return this.webhooks.deliveries;
  }

  /** Resolves once every delivery queued so far has ended (a 2xx, or its retries used up). */
  webhooksIdle(): Promise<void> {
    return this.webhooks.idle();
  }

  /** The events of a PaymentIntent (by id) or a refund (by id), oldest first. */
  eventsOf(objectId: string): Stripe.Event[] {
    return this.events.filter((event) => (event.data.object as { id?: string }).id === objectId);
  }

  /** `event` signed now with `secret`, as a delivery would carry it (a replay within the 300 s tolerance). */
  signedEvent(event: Stripe.Event, secret: string): SignedEvent {
    return signEvent(JSON.stringify(event, null, 2), secret);
  }

  /**
   * Test hook: a refund fails after it was created, as Stripe reports a card refund the issuer
   * refused (`failure_reason` e.g. `expired_or_canceled_card`): status `failed`, the amount back on
   * the charge, events `charge.refund.updated`, `refund.updated` and `refund.failed`.
   */
  failRefund(refundId: string, failureReason = 'expired_or_canceled_card'): Stripe.Refund {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new Error(`no refund ${refundId}`);
    if (refund.status === 'failed' || refund.status === 'canceled') return refund;
    const failed: Stripe.Refund = { ...refund, status: 'failed', failure_reason: failureReason, failure_balance_transaction: newId('txn') };
    this.refunds.set(refundId, failed);
    const previous = { status: refund.status };
    this.emit('charge.refund.updated', failed, previous);
    this.emit('refund.updated', failed, previous);
    this.emit('refund.failed', failed);
    return failed;
  }

  /** Test hook: a `pending` refund (see `refundsStartPending`) succeeds: `refund.updated`. */
  settleRefund(refundId: string): Stripe.Refund {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new Error(`no refund ${refundId}`);
    if (refund.status !== 'pending') return refund;
    const settled: Stripe.Refund = { ...refund, status: 'succeeded' };
    this.refunds.set(refundId, settled);
    this.emit('charge.refund.updated', settled, { status: 'pending' });
    this.emit('refund.updated', settled, { status: 'pending' });
    return settled;
  }

  /**
   * Test hook: every idempotency key is forgotten, as Stripe prunes a key once it is 24 h old. A
   * request sent again with one of them is then executed anew, not replayed.
   */
  expireIdempotencyKeys(): void {
    this.replies_.clear();
  }

  /** Test hook: the shopper's bank disputes the PaymentIntent's charge: `charge.dispute.created`. */
  openDispute(paymentIntentId: string, reason = 'fraudulent'): Stripe.Dispute {
    const intent = this.intents.get(paymentIntentId);
    if (!intent || typeof intent.latest_charge !== 'string') throw new Error(`no charged PaymentIntent ${paymentIntentId}`);
    const dispute = disputeObject({ amount: intent.amount_received || intent.amount, currency: intent.currency, charge: intent.latest_charge, payment_intent: intent.id, reason });
    this.emit('charge.dispute.created', dispute);
    return dispute;
  }

  /**
   * Test hook: an event of `type` about `object`, recorded and sent to the endpoints as if it had happened
   * (for notifications the fake's own flows do not produce). `id` defaults to a new `evt_…`.
   */
  emit<T extends Stripe.Event['type']>(type: T, object: EventObject<T>, previousAttributes?: Record<string, unknown>, id = newId('evt')): Stripe.Event {
    const event = eventObject(type, object, {
      id,
      previousAttributes,
      pendingWebhooks: this.webhooks.endpoints.length,
      request: this.cause ? { id: this.cause.id, idempotency_key: this.cause.idempotencyKey } : undefined,
    });
    this.events.push(event);
    this.webhooks.send(event);
    return event;
  }

  /** Every answer it decided (before faults and lost replies), in order, for schema checks. */
  replies(): readonly FakeReply[] {
    return this.answered;
  }

  /** The parsed form bodies of the creates it received, for wire-level assertions. */
  createBodies(): FormObject[] {
    return this.server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents').map((r) => parseForm(r.body));
  }

  /**
   * Test hook: what the create of PaymentIntent `id` said about storing or reusing the card
   * (`off_session`, `setup_future_usage`, the credential usages, the MIT exemption's network
   * transaction id), and the network transaction id its charge got. Null: no such PaymentIntent.
   */
  storedCredentialOf(id: string): FakeStoredCredential | null {
    const created = this.creation.get(id);
    if (!created) return null;
    const charge = this.chargeOf(this.intents.get(id));
    return { received: { ...created.storedCredential }, networkTransactionId: charge?.status === 'succeeded' ? charge.payment_method_details?.card?.network_transaction_id ?? null : null };
  }

  private chargeOf(intent: Stripe.PaymentIntent | undefined): Stripe.Charge | undefined {
    const id = typeof intent?.latest_charge === 'string' ? intent.latest_charge : intent?.latest_charge?.id;
    return id ? this.charges.get(id) : undefined;
  }

  /** The API request being answered, for the events it causes (`event.request`). */
  private cause: { id: string; idempotencyKey: string | null } | null = null;

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
    this.cause = { id: newId('req'), idempotencyKey: idempotencyKey ?? null };
    let reply: FakeReply;
    try {
      reply = this.write(request.path, parseForm(request.body));
    } finally {
      this.cause = null;
    }
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
    if (request.path === '/v1/refunds') return this.listRefunds(request.query);
    const charge = /^\/v1\/charges\/([^/]+)$/.exec(request.path);
    if (charge) {
      const found = this.charges.get(charge[1]!);
      return found ? ok(found) : error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'charge', message: `No such charge: '${charge[1]}'` });
    }
    const match = /^\/v1\/payment_intents\/([^/]+)$/.exec(request.path);
    if (match) {
      const intent = this.intents.get(match[1]!);
      if (!intent) return error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'intent', message: `No such payment_intent: '${match[1]}'` });
      const expand = expandOfQuery(request.query);
      const unexpandable = expand.find((path) => path !== 'latest_charge');
      if (unexpandable !== undefined) return invalid(`The fake does not implement expand[]=${unexpandable} (only latest_charge)`, 'parameter_unknown', 'expand');
      const charge = expand.includes('latest_charge') ? this.chargeOf(intent) : undefined;
      return ok(charge ? { ...intent, latest_charge: charge } : intent);
    }
    return error(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${request.path}).` });
  }

  /**
   * `GET /v1/refunds` as Stripe lists: newest first, filtered by `payment_intent` / `charge`, pages of
   * `limit` (1 to 100, default 10) after `starting_after` or before `ending_before` (a refund id).
   * Filters Stripe takes that the fake does not implement are refused, never ignored.
   */
  private listRefunds(query: URLSearchParams): FakeReply {
    for (const name of new Set(query.keys())) {
      const param = name.replace(/\[.*$/, '');
      if (!REFUND_LIST_PARAMS.includes(param)) {
        return REFUND_LIST_UNIMPLEMENTED.includes(param) ? invalid(`The fake does not implement ${param} on GET /v1/refunds`, 'parameter_unknown', param) : invalid(`Received unknown parameter: ${name}`, 'parameter_unknown', param);
      }
    }
    const limitText = query.get('limit') ?? '10';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) return invalid(`Invalid integer: ${limitText}: limit must be between 1 and 100`, 'parameter_invalid_integer', 'limit');
    const pi = query.get('payment_intent');
    const charge = query.get('charge');
    const all = [...this.refunds.values()].reverse().filter((r) => (!pi || r.payment_intent === pi) && (!charge || r.charge === charge));
    const after = query.get('starting_after');
    const before = query.get('ending_before');
    if (after && before) return invalid('You may only specify one of these parameters: starting_after, ending_before.');
    const cursor = after ?? before;
    if (cursor && !this.refunds.has(cursor)) return error(400, { type: 'invalid_request_error', code: 'resource_missing', param: after ? 'starting_after' : 'ending_before', message: `No such refund: '${cursor}'` });
    const at = cursor ? all.findIndex((r) => r.id === cursor) : -1;
    // A cursor outside the filtered list (another PaymentIntent's refund) pages nothing, as an exhausted list.
    let page: Stripe.Refund[];
    let hasMore: boolean;
    if (before) {
      const newer = at < 0 ? [] : all.slice(0, at);
      page = newer.slice(Math.max(0, newer.length - limit));
      hasMore = newer.length > limit;
    } else {
      const older = after ? (at < 0 ? [] : all.slice(at + 1)) : all;
      page = older.slice(0, limit);
      hasMore = older.length > limit;
    }
    return ok({ object: 'list', data: page, has_more: hasMore, url: '/v1/refunds' });
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
    const cardForm = child(pmd, 'card');
    const number = text(cardForm, 'number');
    if (text(form, 'confirm') !== 'true' || text(pmd, 'type') !== 'card' || !number) {
      return invalid('The fake only creates confirmed PaymentIntents with payment_method_data[type]=card and raw card details', 'parameter_missing', 'payment_method_data');
    }
    const metadata = metadataOf(form);
    const returnUrl = text(form, 'return_url') ?? null;
    if (returnUrl !== null && !/^https?:\/\/\S+$/.test(returnUrl)) return invalid('Invalid URL: return_url must be an absolute http(s) URL', 'url_invalid', 'return_url');
    const received = receivedStoredCredential(form);
    if (!received.ok) return invalid(received.message, undefined, received.param);
    const storedCredential = received.value;
    const expand = expandOf(form);
    const unexpandable = expand.find((path) => path !== 'latest_charge');
    if (unexpandable !== undefined) return invalid(`The fake does not implement expand[]=${unexpandable} (only latest_charge)`, 'parameter_unknown', 'expand');
    const errorOnRequiresAction = text(form, 'error_on_requires_action') === 'true';
    const offSession = storedCredential.offSession !== false;
    const card = chargeCardOf(number, Number(text(cardForm, 'exp_month')), Number(text(cardForm, 'exp_year')), {
      ...(storedCredential.setupCredentialUsage && { setupCredentialUsage: storedCredential.setupCredentialUsage }),
      ...(storedCredential.storedCredentialUsage && { storedCredentialUsage: storedCredential.storedCredentialUsage }),
    });
    const chargeId = newId('ch');
    const base = { amount, currency, capture_method: captureMethod, metadata, payment_method: newId('pm'), latest_charge: chargeId, setup_future_usage: storedCredential.setupFutureUsage } as const;
    const behaviour = behaviourOf(number);
    const challenge = behaviour.kind === 'challenge' ? behaviour : null;
    // Off-session, a merchant-initiated exemption (the first payment's network transaction id) spares the challenge, unless the card always wants one.
    const exempt = challenge !== null && offSession && storedCredential.mitNetworkTransactionId !== null && !challenge.always;
    // Nobody to take the challenge (off_session, or error_on_requires_action): Stripe fails the attempt instead of waiting.
    const decline: Decline | null = behaviour.kind === 'decline'
      ? behaviour
      : challenge && !exempt && (offSession || errorOnRequiresAction) ? AUTHENTICATION_REQUIRED : exempt ? challenge.afterwards ?? null : null;
    let intent: Stripe.PaymentIntent;
    let reply: FakeReply;
    if (decline) {
      intent = declinedIntent(paymentIntentObject({ ...base, status: 'requires_payment_method' }), decline, chargeId);
      this.charges.set(chargeId, chargeObject({ id: chargeId, intent, card, failure: decline }));
      reply = error(402, { type: 'card_error', code: decline.code, ...(decline.declineCode ? { decline_code: decline.declineCode } : {}), message: decline.message, charge: chargeId, payment_intent: intent });
    } else if (challenge && !exempt) {
      intent = paymentIntentObject({ ...base, status: 'requires_action', latest_charge: null });
      // With a return_url Stripe hands out its own authentication page; without one, only Stripe.js could authenticate.
      intent.next_action = returnUrl
        ? { type: 'redirect_to_url', redirect_to_url: { url: this.pages.pageUrl(intent.id, intent.client_secret!), return_url: returnUrl } }
        : { type: 'use_stripe_sdk', use_stripe_sdk: {} };
      reply = ok(intent);
    } else {
      intent = approvedIntent(paymentIntentObject({ ...base, status: 'requires_capture' }));
      const charge = chargeObject({ id: chargeId, intent, card, failure: null });
      this.charges.set(chargeId, charge);
      reply = { ...ok(expand.includes('latest_charge') ? { ...intent, latest_charge: charge } : intent), ...(behaviour.kind === 'charge-then-hang' ? { then: 'hang' as const } : {}) };
    }
    this.intents.set(intent.id, intent);
    this.creation.set(intent.id, { behaviour, returnUrl, card, storedCredential });
    this.indexedAt.set(intent.id, Date.now() + this.searchLagMs);
    this.emit('payment_intent.created', intent);
    this.emitStatus(intent);
    return reply;
  }

  /** The event Stripe sends when a PaymentIntent reaches `intent.status`. */
  private emitStatus(intent: Stripe.PaymentIntent): void {
    if (intent.status === 'requires_capture') this.emit('payment_intent.amount_capturable_updated', intent);
    else if (intent.status === 'succeeded') this.emit('payment_intent.succeeded', intent);
    else if (intent.status === 'requires_payment_method' && intent.last_payment_error) this.emit('payment_intent.payment_failed', intent);
    else if (intent.status === 'requires_action') this.emit('payment_intent.requires_action', intent);
    else if (intent.status === 'canceled') this.emit('payment_intent.canceled', intent);
  }

  /** A PaymentIntent waiting on its authentication page, when `clientSecret` is its own. */
  private waitingIntent(id: string, clientSecret: string): Stripe.PaymentIntent | null {
    const intent = this.intents.get(id);
    if (!intent || intent.client_secret !== clientSecret || !this.creation.get(id)?.returnUrl) return null;
    return intent;
  }

  /** The shopper's choice on the page: the PaymentIntent moves on (once), and the shopper goes back to its return_url. */
  private authenticate(id: string, clientSecret: string, choice: ShopperChoice): string | null {
    const intent = this.waitingIntent(id, clientSecret);
    const created = this.creation.get(id);
    if (!intent || !created?.returnUrl) return null;
    if (intent.status === 'requires_action') {
      const afterwards = created.behaviour.kind === 'challenge' ? created.behaviour.afterwards : undefined;
      const waiting = { ...intent, next_action: null };
      const chargeId = newId('ch');
      const next = choice === 'fail'
        ? declinedIntent(waiting, AUTHENTICATION_FAILED, null)
        : afterwards
          ? declinedIntent(waiting, afterwards, chargeId)
          : approvedIntent({ ...waiting, latest_charge: chargeId });
      if (choice !== 'fail') this.charges.set(chargeId, chargeObject({ id: chargeId, intent: next, card: created.card, failure: afterwards ?? null }));
      this.intents.set(id, next);
      this.emitStatus(next);
    }
    const now = this.intents.get(id)!;
    const back = new URL(created.returnUrl);
    back.searchParams.set('payment_intent', id);
    back.searchParams.set('payment_intent_client_secret', clientSecret);
    back.searchParams.set('redirect_status', now.status === 'succeeded' || now.status === 'requires_capture' ? 'succeeded' : now.status === 'processing' ? 'processing' : 'failed');
    return back.toString();
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
    this.updateCharge(intent, (charge) => ({ ...charge, captured: true, amount_captured: amount, balance_transaction: newId('txn') }));
    this.emitStatus(captured);
    return ok(captured);
  }

  private cancel(intent: Stripe.PaymentIntent): FakeReply {
    if (intent.status === 'succeeded' || intent.status === 'canceled') {
      return invalid(`You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`, 'payment_intent_unexpected_state');
    }
    const canceled: Stripe.PaymentIntent = { ...intent, status: 'canceled', amount_capturable: 0, canceled_at: nowSeconds(), next_action: null };
    this.intents.set(intent.id, canceled);
    // An uncaptured charge is released in full when its PaymentIntent is canceled.
    this.updateCharge(intent, (charge) => (charge.status === 'succeeded' && !charge.captured ? { ...charge, refunded: true, amount_refunded: charge.amount } : charge));
    this.emitStatus(canceled);
    return ok(canceled);
  }

  private refund(form: FormObject): FakeReply {
    const id = text(form, 'payment_intent');
    const intent = id ? this.intents.get(id) : undefined;
    if (!intent) return error(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_intent', message: `No such payment_intent: '${id}'` });
    if (intent.status !== 'succeeded') return invalid(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, 'charge_not_captured', 'payment_intent');
    const refunded = [...this.refunds.values()].filter((r) => r.payment_intent === intent.id && r.status !== 'failed' && r.status !== 'canceled').reduce((sum, r) => sum + r.amount, 0);
    const remaining = intent.amount_received - refunded;
    if (remaining <= 0) return invalid(`Charge ${intent.latest_charge} has already been refunded.`, 'charge_already_refunded');
    const requested = text(form, 'amount');
    const amount = requested === undefined ? remaining : Number(requested);
    if (!Number.isSafeInteger(amount) || amount < 1) return invalid('Invalid integer: amount', 'parameter_invalid_integer', 'amount');
    if (amount > remaining) return invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, 'amount_too_large', 'amount');
    const refund = refundObject({
      amount,
      currency: intent.currency,
      payment_intent: intent.id,
      charge: typeof intent.latest_charge === 'string' ? intent.latest_charge : null,
      metadata: metadataOf(form),
      status: this.refundsStartPending ? 'pending' : 'succeeded',
    });
    this.refunds.set(refund.id, refund);
    this.updateCharge(intent, (charge) => ({ ...charge, amount_refunded: charge.amount_refunded + amount, refunded: charge.amount_refunded + amount >= charge.amount_captured }));
    this.emit('refund.created', refund);
    return ok(refund);
  }

  private updateCharge(intent: Stripe.PaymentIntent, change: (charge: Stripe.Charge) => Stripe.Charge): void {
    const charge = this.chargeOf(intent);
    if (charge) this.charges.set(charge.id, change(charge));
  }
}

/** The query parameters of `GET /v1/refunds` the fake implements, and those Stripe takes that it does not (the published spec's list). */
const REFUND_LIST_PARAMS = ['payment_intent', 'charge', 'limit', 'starting_after', 'ending_before'];
const REFUND_LIST_UNIMPLEMENTED = ['created', 'expand'];

const AUTHENTICATION_REQUIRED: Decline = { kind: 'decline', code: 'authentication_required', declineCode: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.' };
const AUTHENTICATION_FAILED: Decline = {
  kind: 'decline',
  code: 'payment_intent_authentication_failure',
  message: 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
};

/** `expand[]=a&expand[]=b` (or indexed) → its paths. */
function expandOf(form: FormObject): string[] {
  const value = form.expand;
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((path): path is string => typeof path === 'string') : [];
}

/** The SDK's `expand[0]=a&expand[1]=b` in a GET's query (or `expand[]=a`) → its paths. */
function expandOfQuery(query: URLSearchParams): string[] {
  return [...query.entries()].filter(([name]) => /^expand(\[\d*\])?$/.test(name)).map(([, path]) => path);
}

function metadataOf(form: FormObject): Record<string, string> {
  return Object.fromEntries(Object.entries(child(form, 'metadata')).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Authorized (manual capture) or authorized and captured (automatic), with its amounts. */
function approvedIntent(intent: Stripe.PaymentIntent): Stripe.PaymentIntent {
  const captured = intent.capture_method === 'automatic';
  return { ...intent, status: captured ? 'succeeded' : 'requires_capture', amount_capturable: captured ? 0 : intent.amount, amount_received: captured ? intent.amount : 0 };
}

/**
 * Back to `requires_payment_method` with the decline as `last_payment_error` (a card error with its
 * charge, or the authentication failure, an invalid_request_error without one), no payment method left.
 */
function declinedIntent(intent: Stripe.PaymentIntent, decline: Decline, charge: string | null): Stripe.PaymentIntent {
  const card = decline.code !== AUTHENTICATION_FAILED.code;
  const lastError: Stripe.PaymentIntent.LastPaymentError = {
    type: card ? 'card_error' : 'invalid_request_error',
    code: decline.code,
    message: decline.message,
    ...(charge ? { charge } : {}),
    ...(decline.declineCode ? { decline_code: decline.declineCode } : {}),
  };
  return { ...intent, status: 'requires_payment_method', last_payment_error: lastError, payment_method: null, latest_charge: charge ?? intent.latest_charge, next_action: null };
}
