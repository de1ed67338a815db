import { createHash } from 'node:crypto';

/**
 * A hash of what makes two requests "the same": method, route and the body's canonical JSON, with
 * a card's secrets taken out first: the number as its BIN and last 4, no CVC. The hash is stored
 * beside the payment's display data, so with them in it a copy of the database would give the card
 * away to a search over the few numbers and CVCs left to guess.
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body)}`).digest('hex');
}

/** A card number as the fingerprint keeps it: what the payment shows of it anyway. */
function maskedNumber(value: unknown): unknown {
  return typeof value === 'string' && value.length >= 12 ? `${value.slice(0, 6)}…${value.slice(-4)}` : value;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key, v]) => v !== undefined && key !== 'cvc')
      .map(([key, v]): [string, unknown] => [key, key === 'number' ? maskedNumber(v) : v])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
