import type { AdapterContractFixture, SandboxCards } from '#gateway-spi';

/** Stripe's documented 3-D Secure test cards (the contract's defaults are these very numbers; stated here as Stripe's). */
const THREE_D_SECURE_CARDS: Pick<SandboxCards, 'challengeApproved' | 'challengeRefused' | 'frictionless'> = {
  challengeApproved: '4000000000003220',
  // "3DS required; the charge is declined after authentication" (card_declined).
  challengeRefused: '4000008400001629',
  frictionless: '4000000000003055',
};

/**
 * How `npm run test:contract` runs `stripe`: against its wire-level fake (libs/adapters/stripe/fake)
 * in `npm test`, and against Stripe's test mode in `npm run test:sandbox` when STRIPE_SECRET_KEY
 * (an `sk_test_…` key of an account with raw card data APIs enabled) is in the environment.
 * Credentials come from the environment; never write a key here. Notifications are signed locally
 * with a webhook secret of the run's own (a notification is checked by its signature, not fetched).
 */
export const stripeContractFixture: AdapterContractFixture = {
  options: { secret_key_env: 'STRIPE_SECRET_KEY' },
  currency: 'EUR',
  cards: THREE_D_SECURE_CARDS,
  provider: {
    fake: {
      // The fake honours API.md's table as it stands: Stripe's own test cards, and 4000000000000101
      // as its (fake-only) lost-reply card.
      cards: THREE_D_SECURE_CARDS,
      async start() {
        // Loaded here so that production code never loads the fake.
        const { StripeFake, FAKE_SECRET_KEY } = await import('../../fake/stripe.fake.js');
        const { contractNotification, FAKE_WEBHOOK_SECRET } = await import('../../fake/contract-notification.js');
        const fake = await StripeFake.start();
        return {
          options: { secret_key_env: 'CANOPY_CONTRACT_STRIPE_KEY', webhook_secret_env: 'CANOPY_CONTRACT_STRIPE_WHSEC', api_base: fake.url },
          env: { CANOPY_CONTRACT_STRIPE_KEY: FAKE_SECRET_KEY, CANOPY_CONTRACT_STRIPE_WHSEC: FAKE_WEBHOOK_SECRET },
          notification: (sample) => contractNotification(sample, FAKE_WEBHOOK_SECRET, sample.providerReference ? fake.intents.get(sample.providerReference) : undefined),
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
        // Stripe's real authentication page was not available to check against the contract's form-only
        // shopper (the fake's page is a plain form), so the challenge checks are not run there; the
        // frictionless one needs no shopper.
        challengeApproved: null,
        challengeRefused: null,
        frictionless: THREE_D_SECURE_CARDS.frictionless,
      },
      async start() {
        const { randomBytes } = await import('node:crypto');
        const { contractNotification } = await import('../../fake/contract-notification.js');
        // No endpoint is registered at Stripe for the run: the events are written and signed here, as Stripe would.
        const secret = `whsec_${randomBytes(24).toString('base64url')}`;
        return {
          options: { secret_key_env: 'STRIPE_SECRET_KEY', webhook_secret_env: 'CANOPY_CONTRACT_STRIPE_WHSEC' },
          env: { CANOPY_CONTRACT_STRIPE_WHSEC: secret },
          notification: (sample) => contractNotification(sample, secret),
          stop: async () => {},
        };
      },
    },
  },
};
