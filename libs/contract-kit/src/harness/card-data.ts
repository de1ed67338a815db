/** Card data the suite sent, to be looked for in everything that comes back. */
export interface CardSecrets {
  numbers: Iterable<string>;
  cvc: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Errors serialize as `{}`; their message and stack are where a leak would hide. */
function serialize(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Error) return { name: v.name, message: v.message, stack: v.stack, cause: v.cause };
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[circular]';
      seen.add(v);
    }
    return v;
  }) ?? String(value);
}

function strings(value: unknown, out: string[] = [], seen = new WeakSet<object>()): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Error) strings([value.message, value.stack, value.cause], out, seen);
  else if (typeof value === 'object' && value !== null && !seen.has(value)) {
    seen.add(value);
    for (const [key, inner] of Object.entries(value)) {
      out.push(key);
      strings(inner, out, seen);
    }
  }
  return out;
}

export const maskedNumber = (number: string) => `${number.slice(0, 6)}…${number.slice(-4)}`;

/**
 * Where `value` carries a full card number (also spaced or dashed in groups) or the CVC. The CVC is
 * looked for as a whole token in strings only: as a bare number it would match amounts and latencies.
 */
export function cardDataProblems(where: string, value: unknown, secrets: CardSecrets): string[] {
  const text = serialize(value);
  const problems: string[] = [];
  for (const number of new Set(secrets.numbers)) {
    const pattern = new RegExp(`(?<!\\d)${[...number].map(escape).join('[ -]?')}(?!\\d)`);
    if (pattern.test(text)) problems.push(`${where} contains the full card number ${maskedNumber(number)}`);
  }
  const cvc = new RegExp(`(?<![0-9A-Za-z])${escape(secrets.cvc)}(?![0-9A-Za-z])`);
  if (strings(value).some((s) => cvc.test(s))) problems.push(`${where} contains the CVC`);
  return problems;
}
