import type { AdapterContractFixture } from '#gateway-spi';

/**
 * How `npm run test:contract` runs `stripe`: against its wire-level fake (libs/adapters/stripe/fake)
 * in `npm test`, and against Stripe's test mode in `npm run test:sandbox` when STRIPE_SECRET_KEY
 * (an `sk_test_…` key of an account with raw card data APIs enabled) is in the environment.
 * Credentials come from the environment; never write a key here.
 */
export const stripeContractFixture: AdapterContractFixture = {
  options: { secret_key_env: 'STRIPE_SECRET_KEY' },
  currency: 'EUR',
  provider: {
    fake: {
      // The fake honours API.md's table as it stands: Stripe's own test cards, and 4000000000000101
      // as its (fake-only) lost-reply card.
      async start() {
        // Loaded here so that production code never loads the fake.
        const { StripeFake, FAKE_SECRET_KEY } = await import('../../fake/stripe.fake.js');
        const fake = await StripeFake.start();
        return {
          options: { secret_key_env: 'CANOPY_CONTRACT_STRIPE_KEY', api_base: fake.url },
          env: { CANOPY_CONTRACT_STRIPE_KEY: FAKE_SECRET_KEY },
          stop: () => fake.close(),
        };
      },
    },
    sandbox: {
      requires: ['STRIPE_SECRET_KEY'],
      // Stripe test mode's documented cards. 4000000000000119 is Stripe's processing_error card; test
      // mode has no card whose reply is lost.
      cards: {
        approved: ['4242424242424242', '5555555555554444'],
        declined: [
          { number: '4000000000000002', code: 'card_declined' },
          { number: '4000000000009995', code: 'insufficient_funds' },
          { number: '4000000000000069', code: 'expired_card' },
        ],
        failed: [{ number: '4000000000000119', code: 'processing_error' }],
        lostReply: null,
      },
      start: async () => ({ options: { secret_key_env: 'STRIPE_SECRET_KEY' }, stop: async () => {} }),
    },
  },
};
