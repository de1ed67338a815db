import { codeListOption, CURRENCY_CODE, nonNegativeIntegerOption, reportUnknownOptions, type NodeOptions } from '#gateway-spi';

export interface AdyenOptions {
  /** Name of the environment variable holding the API key (never the key itself). */
  apiKeyEnv: string;
  merchantAccount: string;
  environment: 'test' | 'live';
  /** Live only: the account's URL prefix (`[prefix]-checkout-live.adyenpayments.com`). */
  liveUrlPrefix: string | null;
  /** Replaces the Checkout origin (`https://checkout-test.adyen.com`), e.g. a local fake; `/v72` is appended. */
  apiBase: string | null;
  /**
   * PaymentRequest's required `returnUrl` when the root gives none (the request's own `returnUrl` is
   * where the shopper returns). Never a destination: without the root's return endpoint nobody can
   * complete a redirect, so the leaf then declines instead of asking for the shopper.
   */
  returnUrl: string;
  /**
   * Name of the environment variable holding the hex HMAC key of the notification webhook. Set: a
   * capture / cancel / refund Adyen answers `received` is `pending` until its notification confirms
   * it. null: no notifications, so nothing could ever confirm one: `received` answers `succeeded` and
   * counts in the journal's sums at once (a later failure shows only in Adyen's Customer Area).
   */
  hmacKeyEnv: string | null;
  /** Upper-case ISO 4217 codes this leaf takes. */
  currencies: string[];
  /** What the quote says this leaf costs: fee_fixed + ceil(amount × fee_bps / 10000), from the merchant's contract with Adyen. */
  feeBps: number;
  feeFixed: number;
}

export const DEFAULT_RETURN_URL = 'https://canopy.invalid/adyen/return';
export const DEFAULT_ADYEN_CURRENCIES: readonly string[] = Object.freeze(['EUR', 'GBP', 'USD']);

const KNOWN_OPTIONS = ['api_key_env', 'merchant_account', 'environment', 'live_url_prefix', 'api_base', 'return_url', 'hmac_key_env', 'currencies', 'fee_bps', 'fee_fixed'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function httpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** Parses tree-config options; `problems` names each bad field, empty when the options are fine. */
export function parseAdyenOptions(options: NodeOptions): { options: AdyenOptions; problems: string[] } {
  const problems: string[] = [];
  reportUnknownOptions(options, KNOWN_OPTIONS, 'an adyen option', problems);
  const text = (field: string): string | null => {
    const value = options[field];
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' && value.trim().length > 0) return value.trim();
    problems.push(`options.${field} must be a non-empty string`);
    return null;
  };
  const apiKeyEnv = text('api_key_env');
  if (options.api_key_env === undefined) problems.push('options.api_key_env is required (the name of the environment variable holding the API key)');
  else if (apiKeyEnv !== null && !ENV_NAME.test(apiKeyEnv)) problems.push(`options.api_key_env must name an environment variable (letters, digits, _), got ${JSON.stringify(apiKeyEnv)}`);
  const hmacKeyEnv = text('hmac_key_env');
  if (hmacKeyEnv !== null && !ENV_NAME.test(hmacKeyEnv)) problems.push(`options.hmac_key_env must name an environment variable (letters, digits, _), got ${JSON.stringify(hmacKeyEnv)}`);
  const merchantAccount = text('merchant_account');
  if (options.merchant_account === undefined) problems.push('options.merchant_account is required');
  const environment = options.environment ?? 'test';
  if (environment !== 'test' && environment !== 'live') problems.push(`options.environment must be "test" or "live", got ${JSON.stringify(environment)}`);
  const liveUrlPrefix = text('live_url_prefix');
  if (environment === 'live' && liveUrlPrefix === null && options.api_base === undefined) {
    problems.push('options.live_url_prefix is required when options.environment is "live" (the prefix of [prefix]-checkout-live.adyenpayments.com)');
  }
  let apiBase = text('api_base');
  if (apiBase !== null) {
    const url = httpUrl(apiBase);
    if (!url) problems.push(`options.api_base must be an http:// or https:// URL, got ${JSON.stringify(apiBase)}`);
    else apiBase = apiBase.replace(/\/+$/, '');
  }
  let returnUrl = text('return_url') ?? DEFAULT_RETURN_URL;
  if (!httpUrl(returnUrl)) {
    problems.push(`options.return_url must be an http:// or https:// URL, got ${JSON.stringify(returnUrl)}`);
    returnUrl = DEFAULT_RETURN_URL;
  }
  const currencies =
    (options.currencies !== undefined ? codeListOption(options.currencies, 'currencies', CURRENCY_CODE, 'ISO 4217 currency codes', problems) : null) ?? [...DEFAULT_ADYEN_CURRENCIES];
  const feeBps = nonNegativeIntegerOption(options.fee_bps, 'fee_bps', problems) ?? 0;
  const feeFixed = nonNegativeIntegerOption(options.fee_fixed, 'fee_fixed', problems) ?? 0;
  return {
    options: {
      apiKeyEnv: apiKeyEnv ?? '',
      merchantAccount: merchantAccount ?? '',
      environment: environment === 'live' ? 'live' : 'test',
      liveUrlPrefix,
      apiBase,
      returnUrl,
      hmacKeyEnv,
      currencies,
      feeBps,
      feeFixed,
    },
    problems,
  };
}

export function validateAdyenOptions(options: NodeOptions): string[] {
  return parseAdyenOptions(options).problems;
}
