import type { AdapterType } from '#gateway-spi';
import { create__Name__Client } from './__type__.client.js';
import { __name__ContractFixture } from './contract/__type__.contract-fixture.js';
import { __Name__Node } from './__type__.node.js';
import { parse__Name__Options, validate__Name__Options } from './__type__.options.js';

/** The `__type__` adapter type, as the catalog lists it and the tree config names it (`type: __type__`). */
export const __name__Adapter: AdapterType = {
  type: '__type__',
  // TODO: one line on the provider, shown by the ops tree view.
  description: '__Name__ (not implemented yet)',
  validateOptions: validate__Name__Options,
  contract: __name__ContractFixture,
  create(id, options) {
    const parsed = parse__Name__Options(options);
    if (parsed.problems.length > 0) throw new Error(`__type__ ${id}: ${parsed.problems.join('; ')}`);
    const apiKey = process.env[parsed.options.apiKeyEnv];
    if (!apiKey) throw new Error(`__type__ ${id}: the environment variable ${parsed.options.apiKeyEnv} (options.api_key_env) is not set`);
    return new __Name__Node(id, parsed.options, { client: create__Name__Client({ apiKey, apiBase: parsed.options.apiBase }) });
  },
};
