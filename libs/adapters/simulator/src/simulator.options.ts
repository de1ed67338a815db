import {
  codeListOption,
  COUNTRY_CODE,
  CURRENCY_CODE,
  nonNegativeIntegerOption,
  parseMarket,
  reportUnknownOptions,
  type NodeOptions,
  type ResolvedMarket,
} from '#gateway-spi';

export interface SimulatorOptions {
  /** Upper-case ISO 4217 codes. */
  currencies: string[];
  /** Upper-case ISO 3166-1 alpha-2 codes; `null` means any country. */
  countries: string[] | null;
  feeBps: number;
  feeFixed: number;
  latencyMs: number;
  /** Where the 3-D Secure challenge page listens (shared by the simulator nodes with the same host and port). */
  challengeHost: string;
  /** 0: an ephemeral port. */
  challengePort: number;
  /** The base URL shoppers reach the challenge page by (behind a proxy); null: `http://<host>:<port>`. No trailing slash. */
  challengePublicUrl: string | null;
  /** How issuers answer the cards no test script decides (see simulator.market.ts); null: all approved. */
  market: ResolvedMarket | null;
}

export const DEFAULT_SIMULATOR_OPTIONS: Readonly<SimulatorOptions> = Object.freeze({
  currencies: ['EUR', 'GBP', 'USD'],
  countries: null,
  feeBps: 200,
  feeFixed: 0,
  latencyMs: 0,
  challengeHost: '127.0.0.1',
  challengePort: 0,
  challengePublicUrl: null,
  market: null,
});

const INTEGER_OPTIONS = { fee_bps: 'feeBps', fee_fixed: 'feeFixed', latency_ms: 'latencyMs' } as const;
const CHALLENGE_OPTIONS = ['challenge_host', 'challenge_port', 'challenge_public_url'];
const KNOWN_OPTIONS = ['currencies', 'countries', ...Object.keys(INTEGER_OPTIONS), ...CHALLENGE_OPTIONS, 'market'];

/** A host name, IPv4 or IPv6 address: what `server.listen` takes. */
const HOST = /^[A-Za-z0-9.:-]+$/;
const MAX_PORT = 65_535;

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
  parseChallengeOptions(options, parsed, problems);
  // The same reader as the ops market endpoint's, so config and ops accept exactly the same thing.
  const market = parseMarket(options.market);
  parsed.market = market.market;
  problems.push(...market.problems.map((problem) => `options.${problem.message}`));
  return { options: parsed, problems };
}

function parseChallengeOptions(options: NodeOptions, parsed: SimulatorOptions, problems: string[]): void {
  const host = options.challenge_host;
  if (host !== undefined) {
    if (typeof host === 'string' && HOST.test(host)) parsed.challengeHost = host;
    else problems.push('options.challenge_host must be a host name or IP address');
  }
  const port = options.challenge_port;
  if (port !== undefined) {
    if (typeof port === 'number' && Number.isSafeInteger(port) && port >= 0 && port <= MAX_PORT) parsed.challengePort = port;
    else problems.push(`options.challenge_port must be an integer from 0 to ${MAX_PORT} (0: any free port)`);
  }
  const publicUrl = options.challenge_public_url;
  if (publicUrl !== undefined && publicUrl !== null) {
    const base = typeof publicUrl === 'string' ? publicBaseUrl(publicUrl) : null;
    if (base) parsed.challengePublicUrl = base;
    else problems.push('options.challenge_public_url must be an absolute http(s) URL without query or fragment');
  }
}

function publicBaseUrl(value: string): string | null {
  if (!URL.canParse(value) || /\s/.test(value)) return null;
  const url = new URL(value);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || value.includes('#') || value.includes('?')) return null;
  return url.href.replace(/\/+$/, '');
}

export function validateSimulatorOptions(options: NodeOptions): string[] {
  return parseSimulatorOptions(options).problems;
}
