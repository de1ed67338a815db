import { describe, expect, it } from 'vitest';
import { parseStripeOptions, validateStripeOptions } from './stripe.options.js';

describe('stripe options', () => {
  it('needs only the variable holding the secret key', () => {
    expect(parseStripeOptions({ secret_key_env: 'STRIPE_SECRET_KEY' })).toEqual({
      options: { secretKeyEnv: 'STRIPE_SECRET_KEY', webhookSecretEnv: null, apiBase: null, currencies: ['EUR', 'GBP', 'USD'], countries: null, feeBps: 150, feeFixed: 25, searchLagMs: 60_000 },
      problems: [],
    });
  });

  it('parses every option', () => {
    expect(parseStripeOptions({ secret_key_env: 'K', webhook_secret_env: 'STRIPE_WEBHOOK_SECRET', api_base: 'http://127.0.0.1:12111/', currencies: ['usd'], countries: ['us'], fee_bps: 290, fee_fixed: 30, search_lag_ms: 0 }).options).toEqual({
      secretKeyEnv: 'K', webhookSecretEnv: 'STRIPE_WEBHOOK_SECRET', apiBase: 'http://127.0.0.1:12111', currencies: ['USD'], countries: ['US'], feeBps: 290, feeFixed: 30, searchLagMs: 0,
    });
  });

  it('names each bad field, never echoing a key put where a variable name belongs', () => {
    const problems = validateStripeOptions({ secret_key_env: 'sk_live_inline', webhook_secret_env: 'whsec_inline', api_base: 'ftp://x', currencies: 'EUR', countries: [], fee_bps: -1, colour: 'red' });
    expect(problems).toEqual([
      'options.colour is not a stripe option (known: secret_key_env, webhook_secret_env, api_base, currencies, countries, fee_bps, fee_fixed, search_lag_ms)',
      'options.secret_key_env must name an environment variable (upper case, digits, underscores), not hold the key',
      'options.webhook_secret_env must name an environment variable (upper case, digits, underscores), not hold the secret',
      'options.api_base must be an http:// or https:// URL of a host (and port), without a path',
      'options.currencies must be a non-empty list of ISO 4217 currency codes',
      'options.countries must be a non-empty list of ISO 3166-1 alpha-2 country codes',
      'options.fee_bps must be a non-negative integer',
    ]);
    expect(problems.join()).not.toMatch(/sk_live_inline|whsec_inline/);
    expect(validateStripeOptions({})).toEqual(['options.secret_key_env must name an environment variable (upper case, digits, underscores), not hold the key']);
  });
});
