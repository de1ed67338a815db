import { randomBytes } from 'node:crypto';
import type { AdapterContractFixture, SandboxCards } from '#gateway-spi';

/**
 * The cards the fake honours (see fake/adyen.fake.ts): API.md's table, Adyen's own approving cards,
 * Adyen's 3-D Secure 2 test Visa (a challenge, approved once completed), and the simulator's numbers
 * for a refused challenge and a frictionless authentication (fake-only: Adyen refuses a challenge by
 * a wrong password, which a form-submitting shopper does not type).
 */
export const ADYEN_FAKE_CONTRACT_CARDS: SandboxCards = {
  approved: ['4111111111111111', '5555555555554444', '4242424242424242'],
  declined: [
    { number: '4000000000000002', code: 'card_declined' },
    { number: '4000000000009995', code: 'insufficient_funds' },
    { number: '4000000000000069', code: 'expired_card' },
  ],
  failed: [{ number: '4000000000000119', code: 'processing_error' }],
  lostReply: '4000000000000101',
  challengeApproved: '4917610000000000',
  challengeRefused: '4000008400001629',
  frictionless: '4000000000003055',
};

const FAKE_KEY_ENV = 'CANOPY_CONTRACT_ADYEN_KEY';
const FAKE_HMAC_ENV = 'CANOPY_CONTRACT_ADYEN_HMAC';
const FAKE_ACCOUNT = 'CanopyTest';

/**
 * The contract runs Adyen against its wire-level fake (`npm test`; HTTPS on 127.0.0.1, trusted via
 * NODE_EXTRA_CA_CERTS), or against Adyen's test platform (`npm run test:sandbox`, with ADYEN_API_KEY,
 * ADYEN_MERCHANT_ACCOUNT and ADYEN_HMAC_KEY, the hex key of a webhook of that account). Notifications
 * are written and signed as Adyen does (the SDK's HMAC calculation) with the key the options name.
 * The fake is loaded with a dynamic import: production code never loads it.
 */
export const adyenContractFixture: AdapterContractFixture = {
  options: { api_key_env: FAKE_KEY_ENV, merchant_account: FAKE_ACCOUNT, environment: 'test', hmac_key_env: FAKE_HMAC_ENV },
  currency: 'EUR',
  cards: ADYEN_FAKE_CONTRACT_CARDS,
  provider: {
    fake: {
      cards: ADYEN_FAKE_CONTRACT_CARDS,
      async start() {
        const { startAdyenFake } = await import('../../fake/adyen.fake.js');
        const apiKey = `fake_${randomBytes(12).toString('hex')}`;
        const hmacKey = randomBytes(32).toString('hex').toUpperCase();
        const fake = await startAdyenFake({ apiKey, merchantAccount: FAKE_ACCOUNT, hmacKey });
        return {
          options: { api_key_env: FAKE_KEY_ENV, merchant_account: FAKE_ACCOUNT, environment: 'test', api_base: fake.url, hmac_key_env: FAKE_HMAC_ENV },
          env: { [FAKE_KEY_ENV]: apiKey, [FAKE_HMAC_ENV]: hmacKey },
          notification: (sample) => fake.notification(sample),
          stop: () => fake.close(),
        };
      },
    },
    sandbox: {
      requires: ['ADYEN_API_KEY', 'ADYEN_MERCHANT_ACCOUNT', 'ADYEN_HMAC_KEY'],
      // Adyen's test platform refuses by holder name and challenges by password, which the unified card and a
      // form-submitting shopper cannot carry: approvals only, no lost reply, no 3-D Secure checks.
      cards: { approved: ['4111111111111111', '5555555555554444'], declined: [], failed: [], lostReply: null, challengeApproved: null, challengeRefused: null, frictionless: null },
      async start() {
        const { writeAdyenNotification } = await import('../../fake/adyen.fake.js');
        const merchantAccount = process.env.ADYEN_MERCHANT_ACCOUNT ?? '';
        return {
          options: { api_key_env: 'ADYEN_API_KEY', merchant_account: merchantAccount, environment: 'test', hmac_key_env: 'ADYEN_HMAC_KEY' },
          notification: (sample) => writeAdyenNotification(sample, merchantAccount, process.env.ADYEN_HMAC_KEY ?? ''),
          stop: async () => {},
        };
      },
    },
  },
};
