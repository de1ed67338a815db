import type { NodeOptions } from './adapter-type.js';

/**
 * Readers for a leaf's tree-config options, shared by the adapter types so that the same kind of
 * field is checked, and its problem worded, the same way everywhere. Each reports into `problems`
 * with the field named (`options.<field> …`) and never echoes a value that could be a secret.
 */

export const CURRENCY_CODE = /^[A-Za-z]{3}$/;
export const COUNTRY_CODE = /^[A-Za-z]{2}$/;

/** Names every option that is not in `known`, e.g. `options.colour is not a <type> option (known: …)`. */
export function reportUnknownOptions(options: NodeOptions, known: readonly string[], noun: string, problems: string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) problems.push(`options.${key} is not ${noun} (known: ${known.join(', ')})`);
  }
}

/** A non-empty list of codes matching `pattern`, upper-cased and without repeats; null (reported) when bad. */
export function codeListOption(value: unknown, field: string, pattern: RegExp, what: string, problems: string[]): string[] | null {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`options.${field} must be a non-empty list of ${what}`);
    return null;
  }
  const bad = value.filter((v) => typeof v !== 'string' || !pattern.test(v));
  if (bad.length > 0) {
    problems.push(`options.${field} must be a non-empty list of ${what} (bad: ${bad.map((v) => JSON.stringify(v)).join(', ')})`);
    return null;
  }
  return [...new Set((value as string[]).map((v) => v.toUpperCase()))];
}

/** A non-negative safe integer; undefined when absent, or when bad (reported). */
export function nonNegativeIntegerOption(value: unknown, field: string, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  problems.push(`options.${field} must be a non-negative integer`);
  return undefined;
}
