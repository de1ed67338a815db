import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_URL, parseAdyenOptions, validateAdyenOptions } from './adyen.options.js';

const base = { api_key_env: 'ADYEN_API_KEY', merchant_account: 'CanopyEU' };

describe('adyen options', () => {
  it('parses the minimal options with defaults (test, EUR/GBP/USD, no fee)', () => {
    expect(parseAdyenOptions(base)).toEqual({
      options: { apiKeyEnv: 'ADYEN_API_KEY', merchantAccount: 'CanopyEU', environment: 'test', liveUrlPrefix: null, apiBase: null, returnUrl: DEFAULT_RETURN_URL, hmacKeyEnv: null, currencies: ['EUR', 'GBP', 'USD'], feeBps: 0, feeFixed: 0 },
      problems: [],
    });
  });

  it('parses live with its prefix, api_base without its trailing slash, currencies upper-cased', () => {
    const { options, problems } = parseAdyenOptions({ ...base, environment: 'live', live_url_prefix: '1797a841fbb37ca7-AdyenDemo', api_base: 'https://127.0.0.1:8443/', currencies: ['eur'], fee_bps: 150, fee_fixed: 10 });
    expect(problems).toEqual([]);
    expect(parseAdyenOptions({ ...base, hmac_key_env: 'ADYEN_HMAC_KEY' }).options.hmacKeyEnv).toBe('ADYEN_HMAC_KEY');
    expect(options).toMatchObject({ environment: 'live', liveUrlPrefix: '1797a841fbb37ca7-AdyenDemo', apiBase: 'https://127.0.0.1:8443', currencies: ['EUR'], feeBps: 150, feeFixed: 10 });
  });

  it.each([
    [{ merchant_account: 'M' }, 'options.api_key_env is required'],
    [{ ...base, api_key_env: 'not a name' }, 'options.api_key_env must name an environment variable'],
    [{ api_key_env: 'K' }, 'options.merchant_account is required'],
    [{ ...base, environment: 'prod' }, 'options.environment must be "test" or "live"'],
    [{ ...base, environment: 'live' }, 'options.live_url_prefix is required when options.environment is "live"'],
    [{ ...base, api_base: 'ftp://x' }, 'options.api_base must be an http:// or https:// URL'],
    [{ ...base, api_base: 'nope' }, 'options.api_base must be an http:// or https:// URL'],
    [{ ...base, return_url: 'x' }, 'options.return_url must be an http:// or https:// URL'],
    [{ ...base, hmac_key_env: 'not a name' }, 'options.hmac_key_env must name an environment variable'],
    [{ ...base, hmac_key_env: '' }, 'options.hmac_key_env must be a non-empty string'],
    [{ ...base, currencies: ['EURO'] }, 'options.currencies must be a non-empty list of ISO 4217 currency codes'],
    [{ ...base, fee_bps: -1 }, 'options.fee_bps must be a non-negative integer'],
    [{ ...base, api_key: 'secret' }, 'options.api_key is not an adyen option'],
  ])('rejects %j naming the field', (options, message) => {
    const problems = validateAdyenOptions(options);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it('never echoes a value that could be a key: problems name fields, unknown fields are named, not shown', () => {
    expect(validateAdyenOptions({ ...base, api_key: 'AQE1secret' }).join()).not.toContain('AQE1secret');
  });
});
