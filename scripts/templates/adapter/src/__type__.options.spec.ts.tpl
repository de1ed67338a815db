import { describe, expect, it } from 'vitest';
import { parse__Name__Options, validate__Name__Options } from './__type__.options.js';

describe('__type__ options', () => {
  it('needs only the variable holding the API key; EUR by default', () => {
    expect(parse__Name__Options({ api_key_env: '__ENV___API_KEY' })).toEqual({ options: { currencies: ['EUR'], apiKeyEnv: '__ENV___API_KEY', apiBase: null }, problems: [] });
  });

  it('parses every option', () => {
    expect(parse__Name__Options({ currencies: ['eur', 'USD'], api_key_env: '__ENV___API_KEY', api_base: 'http://127.0.0.1:12111/' }).options).toEqual({
      currencies: ['EUR', 'USD'],
      apiKeyEnv: '__ENV___API_KEY',
      apiBase: 'http://127.0.0.1:12111',
    });
  });

  it('names each bad field', () => {
    expect(validate__Name__Options({ currencies: 'EUR', api_key_env: 'sk_live_inline', api_base: 'ftp://x', colour: 'red' })).toEqual([
      'options.colour is not a __type__ option (known: currencies, api_key_env, api_base)',
      'options.currencies must be a non-empty list of ISO 4217 currency codes',
      'options.api_key_env must name an environment variable (upper case, digits, underscores)',
      'options.api_base must be an http:// or https:// URL',
    ]);
  });
});
