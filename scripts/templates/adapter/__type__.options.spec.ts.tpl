import { describe, expect, it } from 'vitest';
import { parse__Name__Options, validate__Name__Options } from './__type__.options.js';

describe('__type__ options', () => {
  it('defaults to EUR and no API key variable', () => {
    expect(parse__Name__Options({})).toEqual({ options: { currencies: ['EUR'], apiKeyEnv: null }, problems: [] });
  });

  it('parses every option', () => {
    expect(parse__Name__Options({ currencies: ['eur', 'USD'], api_key_env: '__ENV___API_KEY' }).options).toEqual({ currencies: ['EUR', 'USD'], apiKeyEnv: '__ENV___API_KEY' });
  });

  it('names each bad field', () => {
    expect(validate__Name__Options({ currencies: 'EUR', api_key_env: 'sk_live_inline', colour: 'red' })).toEqual([
      'options.colour is not a __type__ option (known: currencies, api_key_env)',
      'options.currencies must be a non-empty list of ISO 4217 currency codes',
      'options.api_key_env must name an environment variable (upper case, digits, underscores)',
    ]);
  });
});
