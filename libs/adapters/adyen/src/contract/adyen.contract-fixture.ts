import { randomBytes } from 'node:crypto';
import type { AdapterContractFixture, SandboxCards } from '#gateway-spi';

/** The cards the fake honours (see fake/adyen.fake.ts): API.md's table, Adyen's own approving cards, its 3-D Secure card. */
export const ADYEN_FAKE_CONTRACT_CARDS: SandboxCards = {
  approved: ['4111111111111111', '5555555555554444', '4242424242424242'],
  declined: [
    { number: '4000000000000002', code: 'card_declined' },
    { number: '4000000000009995', code: 'insufficient_funds' },
    { number: '4000000000000069', code: 'expired_card' },
    { number: '4917610000000000', code: 'authentication_required' },
  ],
  failed: [{ number: '4000000000000119', code: 'processing_error' }],
  lostReply: '4000000000000101',
};

const FAKE_KEY_ENV = 'CANOPY_CONTRACT_ADYEN_KEY';
const FAKE_ACCOUNT = 'CanopyTest';

/**
 * The contract runs Adyen against its wire-level fake (`npm test`; HTTPS on 127.0.0.1, trusted via
 * NODE_EXTRA_CA_CERTS), or against Adyen's test platform (`npm run test:sandbox`, with ADYEN_API_KEY
 * and ADYEN_MERCHANT_ACCOUNT). The fake is loaded with a dynamic import: production code never loads it.
 */
export const adyenContractFixture: AdapterContractFixture = {
  options: { api_key_env: FAKE_KEY_ENV, merchant_account: FAKE_ACCOUNT, environment: 'test' },
  currency: 'EUR',
  cards: ADYEN_FAKE_CONTRACT_CARDS,
  provider: {
    fake: {
      cards: ADYEN_FAKE_CONTRACT_CARDS,
      async start() {
        const { startAdyenFake } = await import('../../fake/adyen.fake.js');
        const apiKey = `fake_${randomBytes(12).toString('hex')}`;
        const fake = await startAdyenFake({ apiKey, merchantAccount: FAKE_ACCOUNT });
        return {
          options: { api_key_env: FAKE_KEY_ENV, merchant_account: FAKE_ACCOUNT, environment: 'test', api_base: fake.url },
          env: { [FAKE_KEY_ENV]: apiKey },
          stop: () => fake.close(),
        };
      },
    },
    sandbox: {
      requires: ['ADYEN_API_KEY', 'ADYEN_MERCHANT_ACCOUNT'],
      // Adyen's test platform refuses by holder name, which the unified card cannot carry: approvals only, no lost reply.
      cards: { approved: ['4111111111111111', '5555555555554444'], declined: [], failed: [], lostReply: null },
      async start() {
        return {
          options: { api_key_env: 'ADYEN_API_KEY', merchant_account: process.env.ADYEN_MERCHANT_ACCOUNT ?? '', environment: 'test' },
          stop: async () => {},
        };
      },
    },
  },
};
