import { codeListOption, CURRENCY_CODE, reportUnknownOptions, type NodeOptions } from '#gateway-spi';

/** Options of one `__type__` leaf (one merchant account at the provider), from the tree config. */
export interface __Name__Options {
  /** Upper-case ISO 4217 codes the account takes. */
  currencies: string[];
  /** Name of the environment variable holding the API key: secrets never go in the tree file. */
  apiKeyEnv: string;
  /** Where the SDK sends its calls instead of the provider (a fake, a proxy, the sandbox); null for the provider. */
  apiBase: string | null;
}

// TODO: add the provider's options (account id, region, ...), each validated here with a message
// naming the field: a bad tree config then stops start-up clearly.
const KNOWN_OPTIONS = ['currencies', 'api_key_env', 'api_base'];

/** Parses tree-config options; `problems` names each bad field, empty when the options are fine. */
export function parse__Name__Options(options: NodeOptions): { options: __Name__Options; problems: string[] } {
  const problems: string[] = [];
  const parsed: __Name__Options = { currencies: ['EUR'], apiKeyEnv: '', apiBase: null };
  // Shared readers (libs/gateway-spi leaf-options): the same field is checked and worded the same in every adapter.
  reportUnknownOptions(options, KNOWN_OPTIONS, 'a __type__ option', problems);
  const { currencies, api_key_env: apiKeyEnv, api_base: apiBase } = options;
  if (currencies !== undefined) parsed.currencies = codeListOption(currencies, 'currencies', CURRENCY_CODE, 'ISO 4217 currency codes', problems) ?? parsed.currencies;
  if (typeof apiKeyEnv === 'string' && /^[A-Z][A-Z0-9_]*$/.test(apiKeyEnv)) parsed.apiKeyEnv = apiKeyEnv;
  else problems.push('options.api_key_env must name an environment variable (upper case, digits, underscores)');
  if (apiBase !== undefined) {
    if (typeof apiBase === 'string' && /^https?:\/\/[^\s/]+/.test(apiBase)) parsed.apiBase = apiBase.replace(/\/+$/, '');
    else problems.push('options.api_base must be an http:// or https:// URL');
  }
  return { options: parsed, problems };
}

export function validate__Name__Options(options: NodeOptions): string[] {
  return parse__Name__Options(options).problems;
}
