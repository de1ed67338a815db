import { isLuhnValid } from '#gateway-spi';

/** Field names whose values never reach a log line, at any depth up to four levels. */
const SECRET_FIELDS = [
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
];

/** pino `redact` paths: the fields above under any parent, plus the request/response headers. */
export const REDACT_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]),
];

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
