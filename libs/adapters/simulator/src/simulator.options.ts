import type { NodeOptions } from '#gateway-spi';

export interface SimulatorOptions {
  /** Upper-case ISO 4217 codes. */
  currencies: string[];
  /** Upper-case ISO 3166-1 alpha-2 codes; `null` means any country. */
  countries: string[] | null;
  feeBps: number;
  feeFixed: number;
  latencyMs: number;
}

export const DEFAULT_SIMULATOR_OPTIONS: Readonly<SimulatorOptions> = Object.freeze({
  currencies: ['EUR', 'GBP', 'USD'],
  countries: null,
  feeBps: 200,
  feeFixed: 0,
  latencyMs: 0,
});

const INTEGER_OPTIONS = { fee_bps: 'feeBps', fee_fixed: 'feeFixed', latency_ms: 'latencyMs' } as const;
const KNOWN_OPTIONS = ['currencies', 'countries', ...Object.keys(INTEGER_OPTIONS)];

function codeList(value: unknown, field: string, pattern: RegExp, what: string, problems: string[]): string[] | null {
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

/** Parses tree-config options; `problems` names each bad field, empty when the options are fine. */
export function parseSimulatorOptions(options: NodeOptions): { options: SimulatorOptions; problems: string[] } {
  const problems: string[] = [];
  const parsed: SimulatorOptions = { ...DEFAULT_SIMULATOR_OPTIONS, currencies: [...DEFAULT_SIMULATOR_OPTIONS.currencies] };
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.includes(key)) problems.push(`options.${key} is not a simulator option (known: ${KNOWN_OPTIONS.join(', ')})`);
  }
  if (options.currencies !== undefined) {
    parsed.currencies = codeList(options.currencies, 'currencies', /^[A-Za-z]{3}$/, 'ISO 4217 currency codes', problems) ?? parsed.currencies;
  }
  if (options.countries !== undefined && options.countries !== null) {
    parsed.countries = codeList(options.countries, 'countries', /^[A-Za-z]{2}$/, 'ISO 3166-1 alpha-2 country codes', problems);
  }
  for (const [field, key] of Object.entries(INTEGER_OPTIONS)) {
    const value = options[field];
    if (value === undefined) continue;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) parsed[key] = value;
    else problems.push(`options.${field} must be a non-negative integer`);
  }
  return { options: parsed, problems };
}

export function validateSimulatorOptions(options: NodeOptions): string[] {
  return parseSimulatorOptions(options).problems;
}
