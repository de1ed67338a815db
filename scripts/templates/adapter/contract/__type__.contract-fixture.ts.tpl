import type { AdapterContractFixture } from '#gateway-spi';

/**
 * How `npm run test:contract` runs `__type__`: a node built with `options` against the provider's
 * sandbox, payments in `currency`, and the sandbox's test cards (API.md's table unless `cards` says
 * otherwise). Read credentials from the environment; never write a key here.
 */
export const __name__ContractFixture: AdapterContractFixture = {
  options: { api_key_env: '__ENV___SANDBOX_API_KEY' },
  currency: 'EUR',
  // TODO: the sandbox's test card numbers where they differ from API.md's table, for example:
  // cards: {
  //   approved: ['4242424242424242'],
  //   declined: [{ number: '4000000000000002', code: 'card_declined' }],
  //   failed: [],
  //   lostReply: null, // the sandbox has no card whose reply is lost: that check is then reported as not applicable
  // },
  // TODO: operations the provider does not offer; each must then answer notSupported(...), e.g.:
  // unsupported: ['void'],
};
