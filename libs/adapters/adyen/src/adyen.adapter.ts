import { createHmac } from 'node:crypto';
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
    const hmacVariable = parsed.options.hmacKeyEnv;
    let hmacKey: string | null = null;
    if (hmacVariable) {
      hmacKey = process.env[hmacVariable] ?? '';
      if (!/^[0-9a-fA-F]+$/.test(hmacKey) || hmacKey.length % 2 !== 0) {
        const what = hmacKey ? 'does not hold a hex key' : 'is not set';
        throw new Error(`adyen ${id}: environment variable ${hmacVariable} ${what} (options.hmac_key_env names it; it holds the webhook's hex HMAC key)`);
      }
    }
    // Signs the capture mode in the shopper's return URL; from the API key, so every process of this node verifies it.
    const returnKey = createHmac('sha256', apiKey).update('canopy adyen return marker').digest();
    return new AdyenNode(id, parsed.options, { checkout: createAdyenCheckout(parsed.options, apiKey), hmacKey, returnKey });
  },
};
