/** Small readers for untyped config values; each returns undefined and reports when the value is bad. */
export type Report = (problem: string) => void;

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkKeys(value: Record<string, unknown>, allowed: readonly string[], prefix: string, report: Report): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) report(`${prefix}${key} is not a known field (allowed: ${allowed.join(', ')})`);
  }
}

export function positiveInteger(value: unknown, field: string, report: Report): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  report(`${field} must be a positive integer (got ${JSON.stringify(value)})`);
  return undefined;
}

export function nonNegativeInteger(value: unknown, field: string, report: Report): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  report(`${field} must be a non-negative integer (got ${JSON.stringify(value)})`);
  return undefined;
}

/** A list of strings matching `pattern`; a single string is accepted as a list of one. */
export function stringList(value: unknown, field: string, pattern: RegExp, what: string, report: Report): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (Array.isArray(list) && list.length > 0 && list.every((item) => typeof item === 'string' && pattern.test(item))) {
    return list as string[];
  }
  report(`${field} must be a non-empty list of ${what} (got ${JSON.stringify(value)})`);
  return undefined;
}
