import { vi } from 'vitest';
import { type AdyenFake, startAdyenFake } from '../../libs/adapters/adyen/fake/adyen.fake.js';
import { FAKE_SECRET_KEY, StripeFake } from '../../libs/adapters/stripe/fake/stripe.fake.js';

export const ADYEN_HMAC = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

/** Both real providers' wire-level fakes, their credentials in the environment, and leaves of the tree config pointing at them. */
export interface ProviderFakes {
  stripe: StripeFake;
  adyen: AdyenFake;
  adyenKey: string;
  stripeLeaf(id: string, currencies: string[]): object;
  adyenLeaf(id: string, currencies: string[]): object;
  close(): Promise<void>;
}

/**
 * Starts the Stripe and Adyen fakes and stubs their credentials into env variables named after
 * `suite` (so suites running side by side do not share them); `close()` stops both and unstubs.
 */
export async function startProviderFakes(suite: string): Promise<ProviderFakes> {
  const env = (name: string) => `CANOPY_E2E_${suite}_${name}`;
  const adyenKey = `adyen_e2e_${suite.toLowerCase()}_key`;
  const merchantAccount = `Canopy${suite}`;
  const stripe = await StripeFake.start();
  const adyen = await startAdyenFake({ apiKey: adyenKey, merchantAccount, hmacKey: ADYEN_HMAC });
  vi.stubEnv(env('STRIPE_KEY'), FAKE_SECRET_KEY);
  vi.stubEnv(env('ADYEN_KEY'), adyenKey);
  vi.stubEnv(env('ADYEN_HMAC'), ADYEN_HMAC);
  return {
    stripe,
    adyen,
    adyenKey,
    stripeLeaf: (id, currencies) => ({ id, type: 'stripe', options: { secret_key_env: env('STRIPE_KEY'), api_base: stripe.url, currencies, search_lag_ms: 0 } }),
    adyenLeaf: (id, currencies) => ({
      id,
      type: 'adyen',
      options: { api_key_env: env('ADYEN_KEY'), hmac_key_env: env('ADYEN_HMAC'), merchant_account: merchantAccount, environment: 'test', api_base: adyen.url, currencies },
    }),
    async close() {
      vi.unstubAllEnvs();
      await stripe.close();
      await adyen.close();
    },
  };
}
