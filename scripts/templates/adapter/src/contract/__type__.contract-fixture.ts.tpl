import type { AdapterContractFixture } from '#gateway-spi';

/**
 * How `npm run test:contract` runs `__type__`: against its wire-level fake in `npm test`, and against
 * the provider's real sandbox in `npm run test:sandbox` when its credentials are in the environment.
 * Credentials come from the environment; never write a key here.
 */
export const __name__ContractFixture: AdapterContractFixture = {
  options: { api_key_env: '__ENV___SANDBOX_API_KEY' },
  currency: 'EUR',
  provider: {
    fake: {
      // TODO: the fake's test cards where they differ from API.md's table, for example:
      // cards: { approved: ['4242424242424242'], declined: [{ number: '4000000000000002', code: 'card_declined' }], failed: [], lostReply: '4000000000000101' },
      async start() {
        // Loaded here so that production code never loads the fake.
        const { __Name__Fake } = await import('../../fake/__type__.fake.js');
        const fake = await __Name__Fake.start();
        return {
          options: { api_key_env: 'CANOPY_CONTRACT___ENV___KEY', api_base: fake.url },
          env: { CANOPY_CONTRACT___ENV___KEY: 'fake-key-for-the-contract' },
          stop: () => fake.close(),
        };
      },
    },
    sandbox: {
      requires: ['__ENV___SANDBOX_API_KEY'],
      // TODO: the real sandbox's test cards; it has no card whose reply is lost: lostReply: null.
      cards: { lostReply: null },
      start: async () => ({ options: { api_key_env: '__ENV___SANDBOX_API_KEY' }, stop: async () => {} }),
    },
  },
  // Operations the provider does not offer; each must answer notSupported(...) (notifications:
  // notificationsNotSupported; stored_credentials: an authorize carrying a storedCredential answers
  // failed operation_not_supported, retryable). Until 3-D Secure is mapped, also set cards
  // { challengeApproved: null, challengeRefused: null, frictionless: null } for the fake.
  unsupported: ['notifications', 'stored_credentials'],
};
