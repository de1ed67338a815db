// Thousands of generated malformed and hostile requests against every route of the gateway: each
// request carries at least one defect by construction (bad or missing credentials, another
// merchant's ids, invalid or unknown fields, broken JSON, wrong types, huge or negative numbers,
// deep nesting, unicode, duplicated headers, ...). Every answer must be a 4xx with the error body of
// API.md, never a 5xx, and the database must not change.
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { isISO31661Alpha2, isURL } from 'class-validator';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isLuhnValid } from '#gateway-spi';
import type { PrismaClient } from '#persistence';
import { AdminAuthGuard } from '../../apps/gateway/src/auth/admin-auth.guard.js';
import { MerchantAuthGuard } from '../../apps/gateway/src/auth/merchant-auth.guard.js';
import { PRISMA } from '#persistence';
import { PAYMENT_STATUSES } from '../../apps/gateway/src/payments/index.js';
import { WEBHOOK_EVENT_TYPES } from '../../apps/gateway/src/webhooks/index.js';
import { testBackends } from '../support/databases.js';
import { ADMIN_TOKEN, type Gateway, gatewayForSuite, MerchantSession, paymentBody } from '../support/gateway-harness.js';

/** Requests per backend (~7 s on PGlite, ~4 s on PostgreSQL); HOSTILE_RUNS=20000 for a long soak. */
const NUM_RUNS = Number(process.env.HOSTILE_RUNS ?? 1000);
const ROUTE_RUNS = 5;

interface HostileRequest {
  route: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  headers: Record<string, string | string[]>;
  payload?: string;
}

interface World {
  owner: MerchantSession;
  intruder: MerchantSession;
  /** The owner's objects, which the intruder aims at. */
  ids: { payments: string[]; refund: string; endpoint: string; token: string; customer: string; paymentMethod: string };
  nodeIds: string[];
}

interface DiscoveredRoute {
  key: string;
  method: HostileRequest['method'];
  path: string;
  auth: 'merchant' | 'admin' | 'none';
}

const METHODS: Partial<Record<RequestMethod, HostileRequest['method']>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.DELETE]: 'DELETE',
  [RequestMethod.PATCH]: 'PATCH',
};

/** Every route the Nest app serves, read from its controllers' metadata (other features' too). */
function discoverRoutes(gateway: Gateway): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  for (const module of gateway.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
      const classGuards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, type) ?? [];
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const method = METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const paths: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (!method || paths === undefined) continue;
        const guards = [...classGuards, ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[]) ?? [])];
        const auth = guards.includes(MerchantAuthGuard) ? 'merchant' : guards.includes(AdminAuthGuard) ? 'admin' : 'none';
        for (const sub of Array.isArray(paths) ? paths : [paths]) {
          const path = `/${[base, String(sub)].join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
          routes.push({ key: `${method} ${path}`, method, path, auth });
        }
      }
    }
  }
  return routes;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const asciiPrintable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('', ' ', '\u0000', 'null', 'undefined', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '٣٤٥', 'ＡＢＣ', '𝕏𝕐', '\u202Eevil', '%00', '{{7*7}}'),
  fc.integer({ min: 1_001, max: 20_000 }).map((n) => 'x'.repeat(n)),
);
const deep = fc.integer({ min: 33, max: 3_000 }).chain((depth) =>
  fc.constantFrom(`${'['.repeat(depth)}1${']'.repeat(depth)}`, `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
);
/** Raw JSON texts for a number field that are never an integer in [min, max]. */
function badNumber(min: number, max: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.integer({ min: -(2 ** 31), max: min - 1 }).map(String),
    fc.integer({ min: max + 1, max: 2 ** 31 }).map(String),
    fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d) || d < min || d > max).map((d) => JSON.stringify(d)),
    fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '1.5', '-0.0001', `${max}.5`, '9007199254740993'),
    fc.constantFrom('"1000"', 'true', 'false', 'null', '[]', '{}', '[1000]', '{"value":1000}', '""'),
    anyText.map((text) => JSON.stringify(text)),
  );
}
/** Raw JSON for a string field: wrong types, or strings `invalid` accepts. */
function badString(invalid: (value: string) => boolean): fc.Arbitrary<string> {
  return fc.oneof(
    anyText.filter(invalid).map((text) => JSON.stringify(text)),
    fc.constantFrom('null', '0', '-1', '1e400', 'true', '[]', '{}', '["EUR"]', '{"$ne":null}'),
    deep,
  );
}
const notBoolean = fc.constantFrom('"true"', '1', '0', '[]', '{}', '"yes"');
/** An optional field given as null counts as not given (class-validator's @IsOptional): not a defect. */
const optional = (raw: fc.Arbitrary<string>) => raw.filter((text) => text !== 'null');
const unknownKey = fc
  .oneof(asciiPrintable, fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'merchant_id', 'id', 'status', 'amount_captured'))
  .filter((key) => key.length > 0);

/** Query keys no route takes (`zz` keeps them clear of real ones such as `limit`), hostile after that. */
const unknownQueryKey = unknownKey.map((key) => `zz${key}`);
/** encodeURIComponent, after replacing lone surrogates (which it refuses). */
const enc = (text: string) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const cardNumberIsBad = (value: string) => !/^\d{12,19}$/.test(value) || !isLuhnValid(value);

/** A JSON object text: `base` with one field (by JSON path) replaced by `raw`, or removed. */
function withField(base: object, path: string[], raw: string | undefined): string {
  const marker = '"__HOSTILE__"';
  const copy = structuredClone(base) as Record<string, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    target[key] = typeof next === 'object' && next !== null ? next : {};
    target = target[key] as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (raw === undefined) {
    delete target[last];
    return JSON.stringify(copy);
  }
  target[last] = '__HOSTILE__';
  return JSON.stringify(copy).replace(marker, raw);
}

/** Mutations of a valid body, each of which makes it invalid. */
function badBodies(base: object, fields: [string[], fc.Arbitrary<string>][], required: string[][]): fc.Arbitrary<string> {
  return fc.oneof(
    ...fields.map(([path, bad]) => bad.map((raw) => withField(base, path, raw))),
    ...required.map((path) => fc.constant(withField(base, path, undefined))),
    fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 2 })).map(([key, value]) => {
      const text = JSON.stringify(base);
      return `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`;
    }),
  );
}

const paymentBodies = badBodies(
  paymentBody(),
  [
    [['amount'], badNumber(1, 99_999_999)],
    [['currency'], badString((s) => !ISO_CURRENCIES.has(s.toUpperCase()))],
    [['capture'], notBoolean],
    [['payment_method'], fc.constantFrom('null', '"card"', '[]', '1', '{}')],
    [['payment_method', 'type'], badString((s) => s !== 'card')],
    [['payment_method', 'card', 'number'], fc.oneof(badString(cardNumberIsBad), fc.constantFrom('4242424242424241', '4242424242424242424242', '424242424241', '4242 4242 4242 4242', '4242424242424242'.replace('2', '٢')).filter(cardNumberIsBad).map((s) => JSON.stringify(s)), fc.constant('4242424242424242') /* a JSON number, not a string */)],
    [['payment_method', 'card', 'exp_month'], badNumber(1, 12)],
    [['payment_method', 'card', 'exp_year'], badNumber(2000, 2100)],
    [['payment_method', 'card', 'cvc'], optional(fc.oneof(badString((s) => !/^\d{3,4}$/.test(s)), fc.constantFrom('123', '7391')))],
    [['customer', 'country'], optional(badString((s) => !isISO31661Alpha2(s.toUpperCase())))],
    [['description'], fc.oneof(fc.constantFrom('1', 'true', '{}', '[]'), fc.integer({ min: 1_001, max: 30_000 }).map((n) => JSON.stringify('é'.repeat(n))))],
    [['metadata'], fc.oneof(fc.constantFrom('"x"', '1', '[]', '{"a":1}', '{"a":{"b":"c"}}', '{"":"x"}', `{"${'k'.repeat(41)}":"v"}`, `{"k":"${'v'.repeat(501)}"}`), fc.integer({ min: 51, max: 200 }).map((n) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'])))))],
  ],
  [['amount'], ['currency'], ['payment_method'], ['payment_method', 'card', 'number'], ['payment_method', 'card', 'exp_month']],
);

const amountBodies = (extra: [string[], fc.Arbitrary<string>][]) => badBodies({ amount: 100 }, [[['amount'], optional(badNumber(1, 99_999_999))], ...extra], []);
const endpointBodies = badBodies(
  { url: 'https://example.com/hooks', events: ['payment.captured'] },
  [
    [['url'], badString((s) => !isURL(s, { protocols: ['http', 'https'], require_protocol: true, require_tld: false, disallow_auth: true }) || s.length > 2048)],
    [['url'], fc.constantFrom('ftp://example.com/x', 'javascript:alert(1)', 'file:///etc/passwd', 'http://user:pw@example.com/', '//example.com/x', 'http://', 'https://exa mple.com').map((s) => JSON.stringify(s))],
    [['events'], fc.oneof(fc.constantFrom('[]', '"payment.captured"', 'null', '{}', '["payment.created"]', '["payment.captured","payment.captured"]', '[1]', `[${WEBHOOK_EVENT_TYPES.map((t) => `"${t}"`).join(',')},"payment.captured"]`), anyText.filter((s) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(s)).map((s) => JSON.stringify([s])))],
  ],
  [['url'], ['events']],
);
const merchantBodies = badBodies({ name: 'Acme' }, [[['name'], fc.oneof(fc.constantFrom('""', '1', 'null', '[]', '{}', 'true'), fc.integer({ min: 201, max: 5_000 }).map((n) => JSON.stringify('n'.repeat(n))))]], [['name']]);
const faultBodies = badBodies(
  { mode: 'down' },
  [
    [['mode'], badString((s) => !['down', 'error', 'timeout', 'slow'].includes(s))],
    [['latency_ms'], optional(badNumber(0, 120_000))],
    [['rate'], optional(fc.oneof(fc.constantFrom('-0.1', '1.01', '"0.5"', '1e400', '[]'), fc.double({ noNaN: true }).filter((d) => d < 0 || d > 1).map((d) => JSON.stringify(d))))],
  ],
  [['mode']],
);
const tokenBodies = badBodies(
  { card: { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' } },
  [
    [['card'], fc.constantFrom('null', '"4242424242424242"', '[]', '1', '{}')],
    [['card', 'number'], fc.oneof(badString(cardNumberIsBad), fc.constant('4242424242424242'))],
    [['card', 'exp_month'], badNumber(1, 12)],
    [['card', 'exp_year'], badNumber(2000, 2100)],
    [['card', 'cvc'], optional(badString((s) => !/^\d{3,4}$/.test(s)))],
  ],
  [['card'], ['card', 'number'], ['card', 'exp_year']],
);
const brokenJson = fc.constantFrom('{', '{"amount":', '{"amount":1,}', "{'amount':1}", '{"amount":NaN}', '{"a":1}{"b":2}', '\u00ef\u00bb\u00bf{}', '[', 'tru', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000');

// ---------------------------------------------------------------------------------------------
// Requests

const JSON_HEADERS = { 'content-type': 'application/json' };
const bearer = (token: string) => `Bearer ${token}`;

function badAuthorization(world: World, kind: 'merchant' | 'admin'): fc.Arbitrary<string | string[] | undefined> {
  const wrongKind = kind === 'admin' ? world.intruder.apiKey : ADMIN_TOKEN;
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `bearer${world.intruder.apiKey}`, `Token ${ADMIN_TOKEN}`, bearer(wrongKind), bearer(`${world.intruder.apiKey}x`), bearer(world.intruder.apiKey.slice(0, 20))),
    asciiPrintable.map((token) => bearer(token)),
    asciiPrintable.map((junk) => [bearer(junk || 'x'), bearer(kind === 'admin' ? ADMIN_TOKEN : world.intruder.apiKey)]),
  );
}

const badIdempotencyKey = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('', ' ', 'a b', 'ключ', 'k'.repeat(256), '\t'),
  fc.tuple(asciiPrintable, asciiPrintable).map(([a, b]) => [a || 'a', b || 'b']),
);

/** Ids the intruder may not see: the owner's, and ids that exist nowhere. */
function foreignId(world: World, prefix: string, own: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...own),
    fc.constantFrom(`${prefix}_doesnotexist`, `${prefix}_`, '0', '-1', 'null', '..', '%2e%2e%2f', 'ü', '🙂'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    asciiPrintable.filter((s) => s.length > 0),
  ).map(enc);
}

function knownRequests(world: World): fc.Arbitrary<HostileRequest>[] {
  const intruder = { authorization: bearer(world.intruder.apiKey) };
  const owner = { authorization: bearer(world.owner.apiKey) };
  const paymentId = foreignId(world, 'pay', world.ids.payments);
  const moneyPost = (route: string, url: fc.Arbitrary<string>, bodies: fc.Arbitrary<string>, valid: string) =>
    fc.oneof(
      // A valid request aimed at another merchant's (or no) payment: 404.
      fc.tuple(url, fc.uuid()).map(([u, key]) => ({ route, method: 'POST' as const, url: u, headers: { ...intruder, ...JSON_HEADERS, 'idempotency-key': key }, payload: valid })),
      // The owner's own payment, with an invalid body: 400, nothing moves.
      fc.tuple(fc.constantFrom(...world.ids.payments), bodies, fc.uuid()).map(([id, payload, key]) => ({
        route,
        method: 'POST' as const,
        url: route.replace(':id', id).replace(/^POST /, ''),
        headers: { ...owner, ...JSON_HEADERS, 'idempotency-key': key },
        payload,
      })),
      // The owner's own payment, valid body, bad Idempotency-Key: 400.
      fc.tuple(fc.constantFrom(...world.ids.payments), badIdempotencyKey).map(([id, key]) => ({
        route,
        method: 'POST' as const,
        url: route.replace(':id', id).replace(/^POST /, ''),
        headers: { ...owner, ...JSON_HEADERS, ...(key === undefined ? {} : { 'idempotency-key': key }) },
        payload: valid,
      })),
    );

  const publishable = { authorization: bearer(world.owner.publishableKey) };
  const vaultIds = foreignId(world, 'pm', [world.ids.paymentMethod, world.ids.token]);
  return [
    // The vault: another merchant's token, method or customer is a missing one; nothing is used up.
    fc.tuple(fc.constantFrom(world.ids.token, world.ids.paymentMethod), fc.uuid()).map(([method, key]) => ({
      route: 'POST /v1/payments',
      method: 'POST' as const,
      url: '/v1/payments',
      headers: { ...intruder, ...JSON_HEADERS, 'idempotency-key': key },
      payload: JSON.stringify({ amount: 100, currency: 'EUR', payment_method: method, ...(method.startsWith('pm_') && { off_session: true }) }),
    })),
    fc.constant({ route: 'POST /v1/payment_methods', method: 'POST' as const, url: '/v1/payment_methods', headers: { ...intruder, ...JSON_HEADERS }, payload: JSON.stringify({ token: world.ids.token }) }),
    vaultIds.map((id) => ({ route: 'GET /v1/payment_methods/:id', method: 'GET' as const, url: `/v1/payment_methods/${id}`, headers: intruder })),
    vaultIds.map((id) => ({ route: 'POST /v1/payment_methods/:id/detach', method: 'POST' as const, url: `/v1/payment_methods/${id}/detach`, headers: { ...intruder, ...JSON_HEADERS }, payload: '{}' })),
    foreignId(world, 'cus', [world.ids.customer]).map((id) => ({ route: 'GET /v1/customers/:id/payment_methods', method: 'GET' as const, url: `/v1/customers/${id}/payment_methods`, headers: intruder })),
    tokenBodies.map((payload) => ({ route: 'POST /v1/tokens', method: 'POST' as const, url: '/v1/tokens', headers: { ...publishable, ...JSON_HEADERS }, payload })),
    // A publishable key can do nothing but tokenize.
    fc.constantFrom('/v1/customers', '/v1/payment_methods', '/v1/payments').map((url) => ({ route: `POST ${url}`, method: 'POST' as const, url, headers: { ...publishable, ...JSON_HEADERS, 'idempotency-key': 'pk-1' }, payload: '{}' })),
    // POST /v1/payments: one defect in the body, or a valid body with a bad Idempotency-Key.
    fc.oneof(
      fc.tuple(paymentBodies, fc.uuid()).map(([payload, key]) => ({ route: 'POST /v1/payments', method: 'POST' as const, url: '/v1/payments', headers: { ...owner, ...JSON_HEADERS, 'idempotency-key': key }, payload })),
      badIdempotencyKey.map((key) => ({
        route: 'POST /v1/payments',
        method: 'POST' as const,
        url: '/v1/payments',
        headers: { ...owner, ...JSON_HEADERS, ...(key === undefined ? {} : { 'idempotency-key': key }) },
        payload: JSON.stringify(paymentBody()),
      })),
    ),
    moneyPost('POST /v1/payments/:id/capture', paymentId.map((id) => `/v1/payments/${id}/capture`), amountBodies([]), '{"amount":1}'),
    moneyPost('POST /v1/payments/:id/void', paymentId.map((id) => `/v1/payments/${id}/void`), fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 1 })).map(([k, v]) => JSON.stringify({ [k]: v })), '{}'),
    moneyPost(
      'POST /v1/payments/:id/refunds',
      paymentId.map((id) => `/v1/payments/${id}/refunds`),
      amountBodies([[['reason'], fc.oneof(fc.constantFrom('1', '{}', '[]', 'true'), fc.integer({ min: 501, max: 5_000 }).map((n) => JSON.stringify('r'.repeat(n))))]]),
      '{"amount":1,"reason":"requested_by_customer"}',
    ),
    paymentId.map((id) => ({ route: 'GET /v1/payments/:id', method: 'GET' as const, url: `/v1/payments/${id}`, headers: intruder })),
    paymentId.map((id) => ({ route: 'GET /v1/payments/:id/events', method: 'GET' as const, url: `/v1/payments/${id}/events`, headers: intruder })),
    // GET /v1/payments: every query has an invalid value, another merchant's cursor, or an unknown key.
    fc
      .oneof(
        anyText.filter((s) => { const n = Number(s); return !(Number.isInteger(n) && n >= 1 && n <= 100); }).map((v) => `limit=${enc(v)}`),
        fc.constantFrom('limit=0', 'limit=101', 'limit=-1', 'limit=1.5', 'limit=1e400', 'limit=1&limit=2', 'limit[]=1', 'status=all', 'status=', 'status=captured&status=voided'),
        anyText.filter((s) => !(PAYMENT_STATUSES as readonly string[]).includes(s)).map((v) => `status=${enc(v)}`),
        paymentId.map((id) => `starting_after=${id}`),
        fc.tuple(unknownQueryKey, asciiPrintable).map(([k, v]) => `limit=10&${enc(k)}=${enc(v)}`),
      )
      .map((query) => ({ route: 'GET /v1/payments', method: 'GET' as const, url: `/v1/payments?${query}`, headers: intruder })),
    foreignId(world, 're', [world.ids.refund]).map((id) => ({ route: 'GET /v1/refunds/:id', method: 'GET' as const, url: `/v1/refunds/${id}`, headers: intruder })),
    endpointBodies.map((payload) => ({ route: 'POST /v1/webhook_endpoints', method: 'POST' as const, url: '/v1/webhook_endpoints', headers: { ...intruder, ...JSON_HEADERS }, payload })),
    foreignId(world, 'we', [world.ids.endpoint]).map((id) => ({ route: 'GET /v1/webhook_endpoints/:id', method: 'GET' as const, url: `/v1/webhook_endpoints/${id}`, headers: intruder })),
    foreignId(world, 'we', [world.ids.endpoint]).map((id) => ({ route: 'DELETE /v1/webhook_endpoints/:id', method: 'DELETE' as const, url: `/v1/webhook_endpoints/${id}`, headers: intruder })),
    merchantBodies.map((payload) => ({ route: 'POST /v1/ops/merchants', method: 'POST' as const, url: '/v1/ops/merchants', headers: { authorization: bearer(ADMIN_TOKEN), ...JSON_HEADERS }, payload })),
    fc.oneof(
      fc.tuple(fc.constantFrom(...world.nodeIds), faultBodies).map(([id, payload]) => ({ id, payload })),
      fc.tuple(fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !world.nodeIds.includes(s)), fc.constant('{"mode":"down"}')).map(([id, payload]) => ({ id: enc(id), payload })),
    ).map(({ id, payload }) => ({ route: 'PUT /v1/ops/nodes/:id/faults', method: 'PUT' as const, url: `/v1/ops/nodes/${id}/faults`, headers: { authorization: bearer(ADMIN_TOKEN), ...JSON_HEADERS }, payload })),
  ];
}

/**
 * The shopper's return from a provider: its query and form fields are the provider's (whatever it
 * sends back), so unknown ones are not a defect there; it is attacked by `shopperReturns` instead.
 */
const takesProviderFields = (route: DiscoveredRoute) => /\/v1\/payments\/:id\/return$/.test(route.path);
/** A route with a generic defect to refuse (the shopper's return by GET takes anything in its query). */
const hasGenericDefects = (route: DiscoveredRoute) => !(takesProviderFields(route) && route.method === 'GET');

/** Any query or form on the shopper's return, for payments not waiting for a shopper: never a 5xx, and nothing changes. */
function shopperReturns(world: World, routes: DiscoveredRoute[]): fc.Arbitrary<HostileRequest> {
  const returns = routes.filter(takesProviderFields);
  return fc.tuple(fc.constantFrom(...returns), fc.constantFrom(...world.ids.payments), unknownQueryKey, anyText).map(([route, id, key, value]): HostileRequest => ({
    route: route.key,
    method: route.method,
    url: `${route.path.replace(':id', id)}?${enc(key)}=${enc(value)}`,
    headers: route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : ({} as Record<string, string>),
    ...(route.method === 'POST' ? { payload: `${enc(key)}=${enc(value)}` } : {}),
  }));
}

/** Defects any route must refuse, whatever it does: used for every discovered route. */
function genericRequests(world: World, routes: DiscoveredRoute[]): fc.Arbitrary<HostileRequest> {
  const withBody = (method: string) => method !== 'GET';
  return fc.constantFrom(...routes.filter(hasGenericDefects)).chain((route) => {
    const url = fc.constantFrom(...world.ids.payments).map((id) => route.path.replace(/:[A-Za-z_]+/g, id));
    const good: Record<string, string> = route.auth === 'admin' ? { authorization: bearer(ADMIN_TOKEN) } : route.auth === 'merchant' ? { authorization: bearer(world.intruder.apiKey) } : {};
    const base = { route: route.key, method: route.method };
    const defects: fc.Arbitrary<HostileRequest>[] = takesProviderFields(route)
      ? []
      : [fc.tuple(url, unknownQueryKey, anyText).map(([u, key, value]) => ({ ...base, url: `${u}?${enc(key)}=${enc(value)}`, headers: good }))];
    if (route.auth !== 'none') {
      defects.push(
        fc.tuple(url, badAuthorization(world, route.auth)).map(([u, authorization]) => ({
          ...base,
          url: u,
          headers: authorization === undefined ? { ...JSON_HEADERS } : { authorization, ...JSON_HEADERS },
          ...(withBody(route.method) ? { payload: '{}' } : {}),
        })),
      );
    }
    if (withBody(route.method)) {
      defects.push(
        fc.tuple(url, fc.oneof(brokenJson, deep)).map(([u, payload]) => ({ ...base, url: u, headers: { ...good, ...JSON_HEADERS, 'idempotency-key': 'k-1' }, payload })),
        fc.tuple(url, fc.constantFrom('application/xml', 'multipart/form-data; boundary=x', ...(takesProviderFields(route) ? [] : ['application/x-www-form-urlencoded']))).map(([u, type]) => ({
          ...base,
          url: u,
          headers: { ...good, 'content-type': type, 'idempotency-key': 'k-2' },
          payload: 'a=1&b=2',
        })),
        url.map((u) => ({ ...base, url: u, headers: { ...good, ...JSON_HEADERS, 'idempotency-key': 'k-3' }, payload: JSON.stringify({ pad: 'x'.repeat(70_000) }) })),
      );
    }
    return fc.oneof(...defects);
  });
}

// ---------------------------------------------------------------------------------------------

const ERROR_TYPES = ['invalid_request_error', 'authentication_error', 'not_found', 'idempotency_error', 'state_error', 'rate_limit_error', 'api_error'];

function expectErrorAnswer(request: HostileRequest, response: { statusCode: number; headers: Record<string, unknown>; body: string }): void {
  const where = `${request.method} ${request.url.slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.statusCode, where).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, where).toBeLessThan(500);
  expect(String(response.headers['content-type']), where).toContain('application/json');
  const body = JSON.parse(response.body) as { error?: Record<string, unknown> };
  expect(Object.keys(body), where).toEqual(['error']);
  const error = body.error!;
  expect(ERROR_TYPES, where).toContain(error.type);
  expect(typeof error.code === 'string' && typeof error.message === 'string', where).toBe(true);
  expect(error.request_id, where).toBe(response.headers['request-id']);
  expect(Object.keys(error).every((key) => ['type', 'code', 'message', 'param', 'request_id'].includes(key)), where).toBe(true);
  if ('param' in error) expect(typeof error.param, where).toBe('string');
}

/** One fingerprint of every row of every table: any insert, update or delete changes it. */
async function databaseFingerprint(prisma: PrismaClient): Promise<string> {
  const tables = await prisma.$queryRaw<{ table_name: string }[]>`
    SELECT table_name::text FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`;
  const union = tables.map(({ table_name }) => `SELECT '${table_name}:' || row_to_json(t)::text AS r FROM "${table_name}" t`).join(' UNION ALL ');
  const [row] = await prisma.$queryRawUnsafe<{ fingerprint: string | null; rows: bigint }[]>(
    `SELECT md5(string_agg(r, '|' ORDER BY r)) AS fingerprint, count(*) AS rows FROM (${union}) x`,
  );
  return `${row?.rows}:${row?.fingerprint}`;
}

describe.each(await testBackends())('hostile input on $name', (backend) => {
  const started = gatewayForSuite(backend);
  let world: World;
  let routes: DiscoveredRoute[];

  beforeAll(async () => {
    const gateway = started();
    const owner = await MerchantSession.create(gateway, 'Owner');
    const intruder = await MerchantSession.create(gateway, 'Intruder');
    const authorized = (await owner.pay({ capture: false }).expect(201)).body.id;
    const captured = (await owner.pay().expect(201)).body.id;
    const refund = (await owner.post(`/v1/payments/${captured}/refunds`, { amount: 100 }).expect(201)).body.id;
    const declined = (await owner.pay({}, '4000000000000002').expect(201)).body.id;
    const endpoint = (await owner.post('/v1/webhook_endpoints', { url: 'https://owner.example/hooks', events: ['payment.captured'] }, null).expect(201)).body.id;
    const customer = (await owner.post('/v1/customers', { name: 'Owner customer' }, null).expect(201)).body.id;
    const paymentMethod = (await owner.post('/v1/payment_methods', { token: await owner.tokenize(), customer }, null).expect(201)).body.id;
    const token = await owner.tokenize();
    const nodeIds = [...gateway.tree.nodes.keys()];
    world = { owner, intruder, ids: { payments: [authorized, captured, declined], refund, endpoint, token, customer, paymentMethod }, nodeIds };
    routes = discoverRoutes(gateway);
  });

  it('answers every malformed or hostile request with a 4xx error body and changes nothing', async () => {
    const gateway = started();
    const prisma = gateway.app.get<PrismaClient>(PRISMA);
    const faults = () => [...gateway.tree.nodes.values()].map((node) => JSON.stringify(node.faults?.currentFault() ?? null)).join();
    const before = { database: await databaseFingerprint(prisma), faults: faults() };
    const attack = (requests: fc.Arbitrary<HostileRequest>, numRuns: number) =>
      fc.assert(
        fc.asyncProperty(requests, async (hostile) => {
          const response = await gateway.app.inject({ method: hostile.method, url: hostile.url, headers: hostile.headers, payload: hostile.payload });
          expectErrorAnswer(hostile, response);
          if (hostile.method !== 'GET') {
            expect(await databaseFingerprint(prisma), `${hostile.method} ${hostile.url.slice(0, 200)} changed the database`).toBe(before.database);
          }
        }),
        { numRuns, endOnFailure: true },
      );

    await attack(fc.oneof(...knownRequests(world), genericRequests(world, routes), genericRequests(world, routes)), NUM_RUNS);
    // Random picks can miss a route in one run; every route the app serves is also attacked on its own.
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes.filter(hasGenericDefects)) await attack(genericRequests(world, [route]), ROUTE_RUNS);
    await fc.assert(
      fc.asyncProperty(shopperReturns(world, routes), async (hostile) => {
        const response = await gateway.app.inject({ method: hostile.method, url: hostile.url, headers: hostile.headers, payload: hostile.payload });
        // NUL characters are refused everywhere (400), the shopper's return too.
        if (`${hostile.url}${hostile.payload ?? ''}`.includes('%00')) expectErrorAnswer(hostile, response);
        else expect([200, 303], `${hostile.method} ${hostile.url.slice(0, 200)} → ${response.statusCode}`).toContain(response.statusCode);
        expect(await databaseFingerprint(prisma), `${hostile.method} ${hostile.url.slice(0, 200)} changed the database`).toBe(before.database);
      }),
      { numRuns: ROUTE_RUNS, endOnFailure: true },
    );

    expect(await databaseFingerprint(prisma)).toBe(before.database);
    expect(faults()).toBe(before.faults);
  }, Math.max(60_000, NUM_RUNS * 50));
});
