import { isLuhnValid } from '#gateway-spi';

/** Field names whose values never reach a log line, at any depth up to four levels. */
const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'authorization',
  'cookie',
  'number',
  'cvc',
  'card_number',
  'cardNumber',
  'api_key',
  'apiKey',
  'secret',
  'token',
  'adminToken',
  'password',
]);

/** Request headers that carry credentials: a log line may say they were sent, never what they held. */
export const CREDENTIAL_HEADERS = ['authorization', 'cookie'] as const;

/** pino `redact` paths: the request/response headers, which the req/res serializers produce. */
export const REDACT_PATHS: string[] = [...CREDENTIAL_HEADERS.map((name) => `req.headers.${name}`), 'res.headers["set-cookie"]'];

/** Keys whose values their own serializers (request, response, error) make safe: not walked. */
const SERIALIZED_KEYS: ReadonlySet<string> = new Set(['req', 'res', 'err']);
export const REDACTED = '[redacted]';
const MAX_DEPTH = 4;

/**
 * The object of a log line (or a child logger's bindings) with every secret-named field, down to
 * four levels, replaced by "[redacted]". One pass over the object, copying only the branches that
 * hold a secret (the caller's object is never changed): pino's own `redact` with wildcard paths
 * walks the object once per path, ten times the cost of the line itself.
 */
export function redactSecretFields<T extends Record<string, unknown>>(object: T): T {
  return redactLevel(object, 1, true) as T;
}

function redactLevel(value: Record<string, unknown>, depth: number, top: boolean): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    if (top && SERIALIZED_KEYS.has(key)) continue;
    const field = value[key];
    let replaced: unknown = field;
    if (SECRET_FIELDS.has(key)) replaced = field === undefined ? field : REDACTED;
    else if (depth < MAX_DEPTH && field !== null && typeof field === 'object' && !(field instanceof Error)) {
      replaced = Array.isArray(field) ? redactList(field, depth + 1) : redactLevel(field as Record<string, unknown>, depth + 1, false);
    }
    if (replaced !== field) (copy ??= { ...value })[key] = replaced;
  }
  return copy ?? value;
}

function redactList(list: unknown[], depth: number): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < list.length; i += 1) {
    const item = list[i];
    if (item === null || typeof item !== 'object' || item instanceof Error || Array.isArray(item)) continue;
    const replaced = redactLevel(item as Record<string, unknown>, depth, false);
    if (replaced !== item) (copy ??= [...list])[i] = replaced;
  }
  return copy ?? list;
}

const CARD_LIKE = /(?<![0-9A-Za-z])\d(?:[ -]?\d){12,18}(?![0-9A-Za-z])/g;
const API_KEY = /\b(sk_(?:test|live)_)[A-Za-z0-9_-]+/g;
const WEBHOOK_SECRET = /\bwhsec_[A-Za-z0-9+/=]+/g;
const BEARER = /\b(Bearer\s+)\S+/gi;

/**
 * Masks what may never be logged even inside free text: Luhn-valid card numbers (also with spaces
 * or dashes), API keys (their display prefix stays), webhook secrets, bearer tokens, and the given
 * literal secrets (the admin token).
 */
export function scrubSecrets(text: string, literals: readonly string[] = []): string {
  let out = text
    .replace(CARD_LIKE, (match) => (isLuhnValid(match.replace(/[ -]/g, '')) ? '[card number]' : match))
    .replace(API_KEY, (_match, prefix: string) => `${prefix}[redacted]`)
    .replace(WEBHOOK_SECRET, 'whsec_[redacted]')
    .replace(BEARER, (_match, prefix: string) => `${prefix}[redacted]`);
  for (const literal of literals) {
    if (literal.length >= 8) out = out.split(literal).join('[redacted]');
  }
  return out;
}

/** A request as pino-http serializes it, its URL and query values scrubbed like free text. */
export function scrubRequest<Request extends { url?: unknown; query?: unknown }>(request: Request): Request {
  const query =
    request.query && typeof request.query === 'object'
      ? Object.fromEntries(Object.entries(request.query).map(([key, value]) => [key, typeof value === 'string' ? scrubSecrets(value) : value]))
      : request.query;
  return { ...request, ...(typeof request.url === 'string' && { url: scrubSecrets(request.url) }), query };
}
