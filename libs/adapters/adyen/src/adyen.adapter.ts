import type { AdapterType } from '#gateway-spi';
import { createAdyenCheckout } from './adyen.client.js';
import { adyenContractFixture } from './contract/adyen.contract-fixture.js';
import { AdyenNode } from './adyen.node.js';
import { parseAdyenOptions, validateAdyenOptions } from './adyen.options.js';

export const adyenAdapter: AdapterType = {
  type: 'adyen',
  description: 'Adyen Checkout API v72 (cards) through the official @adyen/api-library',
  validateOptions: validateAdyenOptions,
  contract: adyenContractFixture,
  create(id, options) {
    const parsed = parseAdyenOptions(options);
    if (parsed.problems.length > 0) throw new Error(`adyen ${id}: ${parsed.problems.join('; ')}`);
    const variable = parsed.options.apiKeyEnv;
    const apiKey = process.env[variable];
    if (!apiKey) throw new Error(`adyen ${id}: environment variable ${variable} is not set (options.api_key_env names it; it holds the Adyen API key)`);
    return new AdyenNode(id, parsed.options, { checkout: createAdyenCheckout(parsed.options, apiKey) });
  },
};
