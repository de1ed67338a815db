import type { AdapterType } from '#gateway-spi';
import { stripeContractFixture } from './contract/stripe.contract-fixture.js';
import { createStripeClient } from './stripe.client.js';
import { StripeNode } from './stripe.node.js';
import { parseStripeOptions, validateStripeOptions } from './stripe.options.js';

/** The `stripe` adapter type, as the catalog lists it and the tree config names it (`type: stripe`). */
export const stripeAdapter: AdapterType = {
  type: 'stripe',
  description: 'Stripe (PaymentIntents API, official SDK): cards with raw card data, 3-D Secure redirects, manual or automatic capture, partial capture, refunds, signed webhooks',
  validateOptions: validateStripeOptions,
  contract: stripeContractFixture,
  create(id, options) {
    const parsed = parseStripeOptions(options);
    if (parsed.problems.length > 0) throw new Error(`stripe ${id}: ${parsed.problems.join('; ')}`);
    const secretKey = process.env[parsed.options.secretKeyEnv];
    if (!secretKey) throw new Error(`stripe ${id}: the environment variable ${parsed.options.secretKeyEnv} (options.secret_key_env) is not set`);
    const webhookEnv = parsed.options.webhookSecretEnv;
    const webhookSecret = webhookEnv ? process.env[webhookEnv] : null;
    if (webhookEnv && !webhookSecret) throw new Error(`stripe ${id}: the environment variable ${webhookEnv} (options.webhook_secret_env) is not set`);
    return new StripeNode(id, parsed.options, { client: createStripeClient({ secretKey, apiBase: parsed.options.apiBase }), webhookSecret });
  },
};
