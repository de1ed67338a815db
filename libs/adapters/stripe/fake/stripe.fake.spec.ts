import { PublishedSchemas } from '#provider-fakes';
import { attemptIdFor, contextWithTimeout, maskCard, type AuthorizeRequest } from '#gateway-spi';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from '../src/stripe.client.js';
import { StripeNode } from '../src/stripe.node.js';
import { parseStripeOptions } from '../src/stripe.options.js';
import { parseForm, type FormObject, type FormValue } from './form.js';
import { FAKE_SECRET_KEY, paymentIntentObject, StripeFake } from './stripe.fake.js';

const spec = new PublishedSchemas('stripe-spec3-2022-04.json');

const CREATE = '#/paths/~1v1~1payment_intents/post/requestBody/content/application~1x-www-form-urlencoded/schema';
const CAPTURE = '#/paths/~1v1~1payment_intents~1{intent}~1capture/post/requestBody/content/application~1x-www-form-urlencoded/schema';
const REFUND = '#/paths/~1v1~1refunds/post/requestBody/content/application~1x-www-form-urlencoded/schema';
const REFUND_LIST = '#/paths/~1v1~1refunds/get';
const REFUND_LIST_ANSWER = `${REFUND_LIST}/responses/200/content/application~1json/schema`;

/** Fields the SDK's API version (2026) has that the published copy (April 2022) predates. */
const NEWER_FIELDS: Record<string, readonly string[]> = {
  payment_intent: ['allowed_payment_method_types', 'amount_details', 'customer_account', 'excluded_payment_method_types', 'hooks', 'latest_charge', 'managed_payments', 'payment_details', 'payment_method_configuration_details', 'payment_record', 'presentment_details', 'source'],
  refund: ['customer', 'customer_account', 'destination_details', 'instructions_email', 'payment_method', 'pending_reason', 'presentment_details'],
  dispute: ['enhanced_eligibility_types', 'payment_method_details'],
  event: [],
  charge: ['source'],
  // Nested: the card of a charge's payment_method_details (network_transaction_id: 2024-12-18.acacia).
  payment_method_details_card: ['amount_authorized', 'authorization_code', 'electronic_commerce_indicator', 'network_transaction_id', 'regulated_status', 'setup_credential_usage', 'stored_credential_usage', 'transaction_link_id'],
};

/**
 * A Charge no longer carries `refunds` unless expanded (API 2022-11-15), which the April 2022 copy
 * still requires: the one published requirement a current Charge does not meet.
 */
const CHARGE_REFUNDS_DROPPED = /must have required property 'refunds'/;

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; additionalProperties?: Schema | boolean };

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const path = schema.$ref.replace(/^#\//, '').split('/').map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  return resolve(path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], spec.document) as Schema);
}

/** A form-decoded body the way Stripe reads it: strings become integers or booleans where the schema says so. */
function coerce(value: FormValue, schema: Schema | undefined): unknown {
  if (!schema) return value;
  const s = resolve(schema);
  const branches = s.anyOf ? s.anyOf.map(resolve) : [s];
  if (typeof value === 'string') {
    if (branches.some((b) => b.type === 'integer') && /^-?\d+$/.test(value)) return Number(value);
    if (branches.some((b) => b.type === 'boolean') && (value === 'true' || value === 'false')) return value === 'true';
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => coerce(item, branches.find((b) => b.type === 'array')?.items));
  const object = branches.find((b) => b.type === 'object' || b.properties) ?? {};
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerce(v, object.properties?.[k] ?? (typeof object.additionalProperties === 'object' ? object.additionalProperties : undefined))]));
}

/**
 * The one deviation the adapter has from Stripe's public description, on purpose: raw card data
 * (`payment_method_data[type]=card` with `[card][number]…`) is an API Stripe gates behind "raw card
 * data APIs" access, so the public spec's `payment_method_data.type` enum leaves `card` out.
 */
const GATED_RAW_CARD = /payment_method_data\/type: must be equal to one of the allowed values/;

/**
 * Create parameters the published copy (April 2022) predates, as the SDK's API version types them
 * (`Stripe.PaymentIntentCreateParams.PaymentMethodOptions.Card`): the model of a stored credential.
 * And one in neither: `mit_exemption[network_transaction_id]`, the first payment's scheme id for a
 * merchant-initiated one, a parameter Stripe enables per account (as raw card data). Each is checked
 * here by its own rule and taken out before the rest is checked against the published schema.
 */
const CREDENTIAL_USAGES = ['installment', 'recurring', 'unscheduled'];
const NEWER_CARD_OPTIONS: Record<string, (value: FormValue) => boolean> = {
  setup_credential_usage: (value) => typeof value === 'string' && CREDENTIAL_USAGES.includes(value),
  stored_credential_usage: (value) => typeof value === 'string' && CREDENTIAL_USAGES.includes(value),
  mit_exemption: (value) => typeof value === 'object' && !Array.isArray(value) && Object.keys(value).join() === 'network_transaction_id' && typeof value.network_transaction_id === 'string' && value.network_transaction_id !== '',
};

/**
 * The form without the card options of NEWER_CARD_OPTIONS, and the problems of the card options. The
 * published schema closes only the top level (`additionalProperties: false`): nested objects take any
 * key. So the card options are checked by name here: published in the copy, or newer as the SDK types them.
 */
function withoutNewerCardOptions(form: FormObject): { form: FormObject; problems: string[] } {
  const options = form.payment_method_options as FormObject | undefined;
  const card = options?.card as FormObject | undefined;
  if (!card || typeof card !== 'object') return { form, problems: [] };
  const published = Object.keys((resolve({ $ref: CREATE }).properties!.payment_method_options!.properties!.card!.anyOf![0]!).properties ?? {});
  const problems = Object.entries(card).flatMap(([key, value]) => {
    if (NEWER_CARD_OPTIONS[key]) return NEWER_CARD_OPTIONS[key](value) ? [] : [`/payment_method_options/card/${key}: not as the SDK types it`];
    return published.includes(key) ? [] : [`/payment_method_options/card/${key}: neither published nor in the SDK's types`];
  });
  const rest = Object.fromEntries(Object.entries(card).filter(([key]) => !NEWER_CARD_OPTIONS[key]));
  const { card: _card, ...otherOptions } = options!;
  const nextOptions = Object.keys(rest).length > 0 ? { ...otherOptions, card: rest } : otherOptions;
  const { payment_method_options: _options, ...others } = form;
  return { form: Object.keys(nextOptions).length > 0 ? { ...others, payment_method_options: nextOptions } : others, problems };
}

function requestProblems(pointer: string, body: string): string[] {
  const newer = withoutNewerCardOptions(parseForm(body));
  const form = newer.form;
  const problems = [...newer.problems, ...spec.problems(pointer, coerce(form, { $ref: pointer }))];
  const type = (form.payment_method_data as Record<string, unknown> | undefined)?.type;
  return type === 'card' ? problems.filter((p) => !GATED_RAW_CARD.test(p)) : problems;
}

/** A query string checked against the published parameters of `GET /v1/refunds` (names, and each value's schema). */
function listQueryProblems(query: URLSearchParams): string[] {
  const parameters = (resolve({ $ref: REFUND_LIST }) as { parameters: { name: string; in: string }[] }).parameters;
  return [...query.entries()].flatMap(([name, value]) => {
    const index = parameters.findIndex((p) => p.in === 'query' && p.name === name);
    if (index < 0) return [`${name}: not a published query parameter of GET /v1/refunds`];
    const pointer = `${REFUND_LIST}/parameters/${index}/schema`;
    return spec.problems(pointer, coerce(value, { $ref: pointer })).map((p) => `${name}: ${p}`);
  });
}

/** Top-level fields Stripe publishes for `schema`, in the 2022 copy or as newer fields of the SDK's version. */
function unpublishedFields(schema: 'payment_intent' | 'refund' | 'dispute' | 'event' | 'charge' | 'payment_method_details_card', value: object): string[] {
  const published = Object.keys(resolve({ $ref: `#/components/schemas/${schema}` }).properties ?? {});
  return Object.keys(value).filter((key) => !published.includes(key) && !NEWER_FIELDS[schema]!.includes(key));
}

let fake: StripeFake;
let node: StripeNode;
const ctx = () => contextWithTimeout(3000, { traceId: 'fake-spec' });
let n = 0;

function payment(number: string, capture = false): AuthorizeRequest {
  const paymentId = `pay_fs${++n}`;
  const card = { number, expMonth: 12, expYear: 2031, cvc: '123' };
  return { paymentId, attemptId: attemptIdFor(paymentId, 1), attemptSeq: 1, merchantId: 'm', amount: 1000, currency: 'EUR', capture, paymentMethod: { type: 'card', card, display: maskCard(card) }, metadata: {} };
}

const address = (req: AuthorizeRequest, providerReference: string | null) => ({ path: ['stripe-1'], attemptId: req.attemptId, providerReference });

beforeAll(async () => {
  fake = await StripeFake.start();
  const options = parseStripeOptions({ secret_key_env: 'X', api_base: fake.url }).options;
  node = new StripeNode('stripe-1', options, { client: createStripeClient({ secretKey: FAKE_SECRET_KEY, apiBase: fake.url }) });
  // One of each: approved (manual and automatic), declined, 3-D Secure, captured in part, refunded twice, voided.
  const manual = payment('4242424242424242');
  const sale = payment('5555555555554444', true);
  const auth = await node.authorize(manual, ctx());
  const paid = await node.authorize(sale, ctx());
  await node.authorize(payment('4000000000009995'), ctx());
  await node.authorize(payment('4000002500003155'), ctx());
  // 3-D Secure with a return URL: requires_action with Stripe's redirect_to_url; one completed, one refused on the page.
  for (const [number, choice] of [['4000000000003220', null], ['4000000000003220', 'complete'], ['4000008400001629', 'complete'], ['4000002500003155', 'fail']] as const) {
    const waiting = await node.authorize({ ...payment(number), returnUrl: 'https://pay.example.test/return' }, ctx());
    if (choice) await fetch(waiting.nextAction!.url, { method: 'POST', body: new URLSearchParams({ choice }), redirect: 'manual' });
  }
  await node.capture({ ...address(manual, auth.providerReference), operationId: 'cap_fs1', amount: 600, currency: 'EUR' }, ctx());
  await node.refund({ ...address(sale, paid.providerReference), operationId: 're_fs1', amount: 100, currency: 'EUR' }, ctx());
  // Re-sent: answered from the refund listed, nothing created.
  await node.refund({ ...address(sale, paid.providerReference), operationId: 're_fs1', amount: 100, currency: 'EUR' }, ctx());
  const second = await node.refund({ ...address(sale, paid.providerReference), operationId: 're_fs2', amount: 200, currency: 'EUR' }, ctx());
  fake.failRefund(second.providerReference!);
  fake.openDispute(paid.providerReference!);
  const toVoid = payment('4242424242424242');
  const voidable = await node.authorize(toVoid, ctx());
  await node.void({ ...address(toVoid, voidable.providerReference), operationId: 'void_fs1' }, ctx());
  await node.status(address(toVoid, null), ctx());
  // And the refusals: over-capture (400), a key reused with another body (400 idempotency_error), an unknown id (404), a wrong key (401).
  const over = payment('4242424242424242');
  const overAuth = await node.authorize(over, ctx());
  await node.capture({ ...address(over, overAuth.providerReference), operationId: 'cap_fs2', amount: 5000, currency: 'EUR' }, ctx());
  await node.authorize({ ...over, amount: 999 }, ctx());
  await node.status(address(over, 'pi_unknown'), ctx());
  // A refunds list in pages, as the SDK sends it, and one the fake refuses (a parameter Stripe does not take).
  const sdk = createStripeClient({ secretKey: FAKE_SECRET_KEY, apiBase: fake.url });
  const page = await sdk.listRefunds(paid.providerReference!, null, { timeoutMs: 3000 });
  await sdk.listRefunds(paid.providerReference!, page.data[0]!.id, { timeoutMs: 3000 });
  await fetch(`${fake.url}/v1/refunds?payment_intnet=${paid.providerReference}`, { headers: { authorization: `Bearer ${FAKE_SECRET_KEY}` } });
  // Stored credentials: a first (setup_future_usage; the charge expanded for its network transaction id), then
  // merchant-initiated subsequent ones (off_session) on challenge cards: with the exemption, without it, and on a
  // card that always wants authentication.
  const first = await node.authorize({ ...payment('4242424242424242'), storedCredential: { usage: 'first', model: 'recurring', networkTransactionId: null } }, ctx());
  for (const [number, nti] of [['4000002500003155', first.networkTransactionId!], ['4000002500003155', null], ['4000002760003184', first.networkTransactionId!]] as const) {
    await node.authorize({ ...payment(number), initiator: 'merchant', storedCredential: { usage: 'subsequent', model: 'recurring', networkTransactionId: nti } }, ctx());
  }
  const stranger = new StripeNode('stripe-x', options, { client: createStripeClient({ secretKey: 'sk_test_wrong', apiBase: fake.url }) });
  await stranger.health(ctx());
});

afterAll(() => fake.close());

describe('stripe fake: what the adapter sends conforms to the published request schemas', () => {
  it('the raw card is the one thing the public spec does not describe (a gated API), and nothing else deviates', () => {
    const create = fake.server.requests.find((r) => r.method === 'POST' && r.path === '/v1/payment_intents')!;
    const all = spec.problems(CREATE, coerce(parseForm(create.body), { $ref: CREATE }));
    expect(all).toHaveLength(1);
    expect(all[0]).toMatch(GATED_RAW_CARD);
  });

  it('every create, capture and refund body, after form decoding', () => {
    const posts = fake.server.requests.filter((r) => r.method === 'POST');
    const pointer = (path: string) => (path === '/v1/payment_intents' ? CREATE : path === '/v1/refunds' ? REFUND : path.endsWith('/capture') ? CAPTURE : null);
    const checked = posts.filter((r) => pointer(r.path));
    expect(checked.length).toBeGreaterThanOrEqual(8);
    for (const request of checked) expect(requestProblems(pointer(request.path)!, request.body), `${request.path} ${request.body.replace(/number%5D=\d+/, 'number%5D=…')}`).toEqual([]);
  });

  it('the create carries the raw card in bracket notation, manual capture, confirm, and the canopy metadata', () => {
    const [first] = fake.createBodies();
    expect(first).toMatchObject({
      amount: '1000',
      currency: 'eur',
      capture_method: 'manual',
      confirm: 'true',
      payment_method_data: { type: 'card', card: { number: '4242424242424242', exp_month: '12', exp_year: '2031', cvc: '123' } },
      metadata: { canopy_attempt_id: 'att_fs1_1', canopy_payment_id: 'pay_fs1' },
    });
    expect(fake.createBodies()[1]).toMatchObject({ capture_method: 'automatic' });
  });

  it('every refunds list query is one the published GET /v1/refunds takes; a misnamed parameter is caught', () => {
    const lists = fake.server.requests.filter((r) => r.method === 'GET' && r.path === '/v1/refunds');
    const sent = lists.filter((r) => !r.query.has('payment_intnet'));
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(sent.some((r) => r.query.has('starting_after'))).toBe(true);
    for (const request of sent) expect(listQueryProblems(request.query), request.query.toString()).toEqual([]);
    expect(listQueryProblems(new URLSearchParams({ payment_intnet: 'pi_1', limit: 'ten' }))).toEqual([
      'payment_intnet: not a published query parameter of GET /v1/refunds',
      expect.stringMatching(/^limit: .*integer/),
    ]);
  });

  it('stored credentials: the credential usages are as the SDK types them, the MIT exemption is the one gated addition, the rest is published', () => {
    const bodies = fake.server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents').map((r) => r.body);
    const first = bodies.find((b) => parseForm(b).setup_future_usage)!;
    const mit = bodies.find((b) => (parseForm(b).payment_method_options as FormObject | undefined)?.card && parseForm(b).off_session)!;
    expect(parseForm(first)).toMatchObject({ setup_future_usage: 'off_session', expand: ['latest_charge'], payment_method_options: { card: { setup_credential_usage: 'recurring' } } });
    expect(parseForm(mit)).toMatchObject({ off_session: 'true', error_on_requires_action: 'true', expand: ['latest_charge'], payment_method_options: { card: { stored_credential_usage: 'recurring', mit_exemption: { network_transaction_id: expect.stringMatching(/^\d{15}$/) } } } });
    for (const body of [first, mit]) expect(requestProblems(CREATE, body)).toEqual([]);
    // A misnamed one is caught: a card option, inside the exemption, a value, a top-level parameter.
    expect(requestProblems(CREATE, mit.replace('[stored_credential_usage]', '[stored_credential_usge]'))).toEqual(["/payment_method_options/card/stored_credential_usge: neither published nor in the SDK's types"]);
    expect(requestProblems(CREATE, mit.replace('[network_transaction_id]', '[network_transaction_idd]'))).toEqual(['/payment_method_options/card/mit_exemption: not as the SDK types it']);
    expect(requestProblems(CREATE, mit.replace('[stored_credential_usage]=recurring', '[stored_credential_usage]=monthly'))).toEqual(['/payment_method_options/card/stored_credential_usage: not as the SDK types it']);
    expect(requestProblems(CREATE, mit.replace('off_session=true', 'off_sesion=true')).join()).toMatch(/additionalProperty.*off_sesion/);
  });

  it('the validator catches a parameter Stripe does not take (a misnamed one)', () => {
    const body = fake.server.requests.find((r) => r.path === '/v1/payment_intents' && r.method === 'POST')!.body.replace('capture_method=', 'capture_mode=');
    expect(requestProblems(CREATE, body).join()).toMatch(/additionalProperty.*capture_mode/);
  });
});

describe('stripe fake: what it answers conforms to the published schemas', () => {
  it('every PaymentIntent it holds (requires_capture, succeeded, requires_payment_method, requires_action, canceled)', () => {
    const statuses = new Set([...fake.intents.values()].map((pi) => pi.status));
    expect([...statuses].sort()).toEqual(['canceled', 'requires_action', 'requires_capture', 'requires_payment_method', 'succeeded']);
    for (const pi of fake.intents.values()) {
      expect(spec.problems('payment_intent', pi), pi.status).toEqual([]);
      expect(unpublishedFields('payment_intent', pi), pi.status).toEqual([]);
    }
    const fresh = paymentIntentObject({ amount: 5, currency: 'eur', capture_method: 'manual', metadata: {}, status: 'requires_capture', amount_capturable: 5 });
    expect(spec.problems('payment_intent', fresh)).toEqual([]);
  });

  it('a PaymentIntent waiting for 3-D Secure: next_action redirect_to_url with the page and the return_url', () => {
    const waiting = [...fake.intents.values()].find((pi) => pi.status === 'requires_action')!;
    expect(waiting.next_action).toEqual({ type: 'redirect_to_url', redirect_to_url: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/redirect\/authenticate\/pi_\w+\?client_secret=pi_\w+_secret_\w+$/), return_url: 'https://pay.example.test/return' } });
    const refused = [...fake.intents.values()].filter((pi) => pi.last_payment_error?.code === 'payment_intent_authentication_failure');
    expect(refused).toHaveLength(1);
  });

  it('every event it sent: the published event schema, its object the schema of its type, no field Stripe does not publish', () => {
    const types = new Set(fake.events.map((e) => e.type));
    for (const type of ['payment_intent.created', 'payment_intent.amount_capturable_updated', 'payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.requires_action', 'payment_intent.canceled', 'refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated', 'charge.dispute.created']) {
      expect(types.has(type as never), type).toBe(true);
    }
    for (const event of fake.events) {
      expect(spec.problems('event', event), event.type).toEqual([]);
      expect(unpublishedFields('event', event), event.type).toEqual([]);
      const object = event.data.object as { object: string };
      const schema = object.object as 'payment_intent' | 'refund' | 'dispute';
      expect(spec.problems(schema, object), event.type).toEqual([]);
      expect(unpublishedFields(schema, object), event.type).toEqual([]);
    }
  });

  it('every refunds list: the published list schema; newest first, paged by starting_after; an unknown parameter is refused', async () => {
    const lists = fake.replies().filter((reply) => reply.status === 200 && (reply.body as { url?: string }).url === '/v1/refunds');
    expect(lists.length).toBeGreaterThanOrEqual(4);
    for (const list of lists) expect(spec.problems(REFUND_LIST_ANSWER, list.body)).toEqual([]);
    const pi = [...fake.refunds.values()][0]!.payment_intent as string;
    const get = async (query: string) => (await fetch(`${fake.url}/v1/refunds?${query}`, { headers: { authorization: `Bearer ${FAKE_SECRET_KEY}` } })).json();
    const [older, newer] = [...fake.refunds.values()].filter((r) => r.payment_intent === pi);
    expect(await get(`payment_intent=${pi}&limit=1`)).toMatchObject({ data: [{ id: newer!.id }], has_more: true });
    expect(await get(`payment_intent=${pi}&limit=1&starting_after=${newer!.id}`)).toMatchObject({ data: [{ id: older!.id }], has_more: false });
    expect(await get(`payment_intent=${pi}&limit=1&ending_before=${older!.id}`)).toMatchObject({ data: [{ id: newer!.id }], has_more: false });
    expect(await get(`payment_intent=${pi}&limit=101`)).toMatchObject({ error: { type: 'invalid_request_error', param: 'limit' } });
    const refused = fake.replies().find((reply) => reply.status === 400 && (reply.body as { error: { param?: string } }).error.param === 'payment_intnet');
    expect(refused?.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'parameter_unknown', message: 'Received unknown parameter: payment_intnet' } });
  });

  it('every charge (approved ones with a network transaction id, declined ones without), and the one a create expanded', () => {
    const charges = [...fake.charges.values()];
    expect(new Set(charges.map((c) => c.status))).toEqual(new Set(['succeeded', 'failed']));
    const expanded = fake.replies().map((r) => (r.body as { latest_charge?: unknown }).latest_charge).filter((c): c is object => typeof c === 'object' && c !== null);
    expect(expanded.length).toBeGreaterThanOrEqual(2);
    for (const charge of [...charges, ...expanded] as typeof charges) {
      expect(spec.problems('charge', charge).filter((p) => !CHARGE_REFUNDS_DROPPED.test(p)), charge.id).toEqual([]);
      expect(unpublishedFields('charge', charge), charge.id).toEqual([]);
      expect(unpublishedFields('payment_method_details_card', charge.payment_method_details!.card!), charge.id).toEqual([]);
      expect(charge.payment_method_details?.card?.network_transaction_id ?? null).toEqual(charge.status === 'succeeded' ? expect.stringMatching(/^\d{15}$/) : null);
      // The card's last four digits only, never the number.
      expect(JSON.stringify(charge)).not.toMatch(/4242424242424242|5555555555554444|4000\d{12}/);
    }
    expect(charges.find((c) => c.payment_method_details?.card?.setup_credential_usage === 'recurring')?.status).toBe('succeeded');
    expect(charges.find((c) => c.payment_method_details?.card?.stored_credential_usage === 'recurring')?.status).toBe('succeeded');
  });

  it('a retrieve with latest_charge expanded (the SDK\'s expand[0]=…) answers the charge itself, as published; another path is refused, not ignored', async () => {
    const first = [...fake.intents.values()].find((pi) => pi.setup_future_usage === 'off_session' && pi.status === 'requires_capture')!;
    const sdk = createStripeClient({ secretKey: FAKE_SECRET_KEY, apiBase: fake.url });
    const expanded = await sdk.retrievePaymentIntent(first.id, { timeoutMs: 3000 }, ['latest_charge']);
    expect(fake.server.requests.at(-1)!.query.get('expand[0]')).toBe('latest_charge');
    const charge = expanded.latest_charge as Stripe.Charge;
    expect(charge).toEqual(fake.charges.get(first.latest_charge as string));
    expect(charge.payment_method_details?.card?.network_transaction_id).toMatch(/^\d{15}$/);
    expect(spec.problems('payment_intent', expanded)).toEqual([]);
    expect(spec.problems('charge', charge).filter((p) => !CHARGE_REFUNDS_DROPPED.test(p))).toEqual([]);
    expect((await sdk.retrievePaymentIntent(first.id, { timeoutMs: 3000 })).latest_charge).toBe(first.latest_charge);
    const refused = await fetch(`${fake.url}/v1/payment_intents/${first.id}?expand[0]=customer`, { headers: { authorization: `Bearer ${FAKE_SECRET_KEY}` } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'parameter_unknown', param: 'expand' } });
  });

  it('every refund', () => {
    expect(fake.refunds.size).toBe(2);
    expect([...fake.refunds.values()].map((r) => r.status).sort()).toEqual(['failed', 'succeeded']);
    for (const refund of fake.refunds.values()) {
      expect(spec.problems('refund', refund)).toEqual([]);
      expect(unpublishedFields('refund', refund)).toEqual([]);
    }
  });

  it('error objects: card decline (402), invalid request (400), idempotency (400), unknown key (401), no such object (404)', () => {
    const errors = fake.replies().filter((reply) => reply.status >= 400);
    expect(new Set(errors.map((e) => e.status))).toEqual(new Set([402, 400, 404, 401]));
    expect(new Set(errors.map((e) => (e.body as { error: { type: string } }).error.type))).toEqual(new Set(['card_error', 'invalid_request_error', 'idempotency_error']));
    for (const e of errors) expect(spec.problems('error', e.body), JSON.stringify(e.body).slice(0, 200)).toEqual([]);
  });

  it('a renamed field in a fake answer fails: amount_capturable → amount_capturabel is no field Stripe publishes; status → state misses a required one', () => {
    const pi = [...fake.intents.values()].find((p) => p.status === 'succeeded')!;
    const { amount_capturable, status, ...rest } = pi;
    const renamed = { ...rest, amount_capturabel: amount_capturable, status };
    expect(unpublishedFields('payment_intent', renamed)).toEqual(['amount_capturabel']);
    const noStatus = { ...rest, amount_capturable, state: status };
    expect(spec.problems('payment_intent', noStatus).join()).toMatch(/required.*status/);
    // And at compile time: the fake builds answers as Stripe.PaymentIntent, so the typo does not compile.
    // @ts-expect-error amount_capturabel is not a field of Stripe.PaymentIntent
    paymentIntentObject({ amount: 1, currency: 'eur', capture_method: 'manual', metadata: {}, status: 'succeeded', amount_capturabel: 1 });
  });
});
