import { codeListOption, COUNTRY_CODE, CURRENCY_CODE, nonNegativeIntegerOption, reportUnknownOptions, type NodeOptions } from '#gateway-spi';

/** Options of one `stripe` leaf (one Stripe account), from the tree config. */
export interface StripeOptions {
  /** Name of the environment variable holding the secret key: secrets never go in the tree file. */
  secretKeyEnv: string;
  /** Name of the environment variable holding the webhook endpoint's signing secret (`whsec_…`); null: no notifications. */
  webhookSecretEnv: string | null;
  /** Where the SDK sends its calls instead of api.stripe.com (a fake, a proxy); null for Stripe. */
  apiBase: string | null;
  /** Upper-case ISO 4217 codes the account takes. */
  currencies: string[];
  /** Upper-case ISO 3166-1 alpha-2 codes of customers served; null means any. */
  countries: string[] | null;
  /** The account's pricing, for quotes: fee = fee_fixed + ceil(amount × fee_bps / 10 000). */
  feeBps: number;
  feeFixed: number;
  /**
   * How long after sending a create Stripe's search may still miss the PaymentIntent (Stripe documents
   * "usually within a minute"). Within it, an empty search answers `unknown`, never `not_found`.
   */
  searchLagMs: number;
}

export const DEFAULT_STRIPE_OPTIONS: Readonly<Omit<StripeOptions, 'secretKeyEnv'>> = Object.freeze({
  webhookSecretEnv: null,
  apiBase: null,
  currencies: ['EUR', 'GBP', 'USD'],
  countries: null,
  feeBps: 150,
  feeFixed: 25,
  searchLagMs: 60_000,
});

const INTEGER_OPTIONS = { fee_bps: 'feeBps', fee_fixed: 'feeFixed', search_lag_ms: 'searchLagMs' } as const;
const KNOWN_OPTIONS = ['secret_key_env', 'webhook_secret_env', 'api_base', 'currencies', 'countries', ...Object.keys(INTEGER_OPTIONS)];

/** Parses tree-config options; `problems` names each bad field, empty when the options are fine. */
export function parseStripeOptions(options: NodeOptions): { options: StripeOptions; problems: string[] } {
  const problems: string[] = [];
  const parsed: StripeOptions = { ...DEFAULT_STRIPE_OPTIONS, currencies: [...DEFAULT_STRIPE_OPTIONS.currencies], secretKeyEnv: '' };
  reportUnknownOptions(options, KNOWN_OPTIONS, 'a stripe option', problems);
  const { secret_key_env: secretKeyEnv, webhook_secret_env: webhookSecretEnv, api_base: apiBase } = options;
  if (isEnvName(secretKeyEnv)) parsed.secretKeyEnv = secretKeyEnv;
  else problems.push('options.secret_key_env must name an environment variable (upper case, digits, underscores), not hold the key');
  if (webhookSecretEnv !== undefined && webhookSecretEnv !== null) {
    if (isEnvName(webhookSecretEnv)) parsed.webhookSecretEnv = webhookSecretEnv;
    else problems.push('options.webhook_secret_env must name an environment variable (upper case, digits, underscores), not hold the secret');
  }
  if (apiBase !== undefined && apiBase !== null) {
    if (typeof apiBase === 'string' && /^https?:\/\/[^\s/?#]+\/?$/.test(apiBase) && URL.canParse(apiBase)) parsed.apiBase = apiBase.replace(/\/+$/, '');
    else problems.push('options.api_base must be an http:// or https:// URL of a host (and port), without a path');
  }
  if (options.currencies !== undefined) {
    parsed.currencies = codeListOption(options.currencies, 'currencies', CURRENCY_CODE, 'ISO 4217 currency codes', problems) ?? parsed.currencies;
  }
  if (options.countries !== undefined && options.countries !== null) {
    parsed.countries = codeListOption(options.countries, 'countries', COUNTRY_CODE, 'ISO 3166-1 alpha-2 country codes', problems);
  }
  for (const [field, key] of Object.entries(INTEGER_OPTIONS)) parsed[key] = nonNegativeIntegerOption(options[field], field, problems) ?? parsed[key];
  return { options: parsed, problems };
}

function isEnvName(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z_][A-Z0-9_]*$/.test(value);
}

export function validateStripeOptions(options: NodeOptions): string[] {
  return parseStripeOptions(options).problems;
}
