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

/**
 * JSON with every object's keys sorted (code-unit order) and `undefined` members left out, a
 * card's `cvc` dropped and its `number` masked. Built in one pass into one string: the fingerprint
 * of every payment goes through here, and the output must stay byte for byte what is stored.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    let out = '{';
    for (const key of Object.keys(object).sort()) {
      const member = object[key];
      if (member === undefined || key === 'cvc') continue;
      out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(key === 'number' ? maskedNumber(member) : member)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value ?? null);
}
