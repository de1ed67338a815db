import { codeListOption, COUNTRY_CODE, CURRENCY_CODE, nonNegativeIntegerOption, reportUnknownOptions, type NodeOptions } from '#gateway-spi';

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

/** Parses tree-config options; `problems` names each bad field, empty when the options are fine. */
export function parseSimulatorOptions(options: NodeOptions): { options: SimulatorOptions; problems: string[] } {
  const problems: string[] = [];
  const parsed: SimulatorOptions = { ...DEFAULT_SIMULATOR_OPTIONS, currencies: [...DEFAULT_SIMULATOR_OPTIONS.currencies] };
  reportUnknownOptions(options, KNOWN_OPTIONS, 'a simulator option', problems);
  if (options.currencies !== undefined) {
    parsed.currencies = codeListOption(options.currencies, 'currencies', CURRENCY_CODE, 'ISO 4217 currency codes', problems) ?? parsed.currencies;
  }
  if (options.countries !== undefined && options.countries !== null) {
    parsed.countries = codeListOption(options.countries, 'countries', COUNTRY_CODE, 'ISO 3166-1 alpha-2 country codes', problems);
  }
  for (const [field, key] of Object.entries(INTEGER_OPTIONS)) parsed[key] = nonNegativeIntegerOption(options[field], field, problems) ?? parsed[key];
  return { options: parsed, problems };
}

export function validateSimulatorOptions(options: NodeOptions): string[] {
  return parseSimulatorOptions(options).problems;
}
