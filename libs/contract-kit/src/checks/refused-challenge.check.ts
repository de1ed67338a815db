import type { ContractCheck } from './contract-check.js';
import { challengedPayment } from './challenged-payment.js';

export const refusedChallengeCheck: ContractCheck = {
  id: 'shopper.refused',
  title: 'a challenge the issuer refuses after the shopper completed it: completeAction declines with a code, nothing authorized',
  notApplicable: (fixture) => (fixture.cards.challengeRefused === null ? 'the fixture declares no refused-challenge card (cards.challengeRefused: null)' : null),
  async run(h) {
    const f = h.findings;
    const { address, returnUrl, url } = await challengedPayment(h, h.fixture.cards.challengeRefused!, 'to be refused');
    const returnData = await h.shopper('the shopper on the challenge page (first button)', url, returnUrl);
    const request = { ...address, returnData };
    const label = 'completeAction with the return data';
    const completed = await h.completeAction(label, request);
    f.requireFields(label, completed, { state: 'declined', amountAuthorized: 0, amountCaptured: 0 });
    f.expect(completed.code !== null, `${label}: a declined completion names no code (authentication_failed, or the provider's decline mapped)`);
    const again = await h.completeAction('completeAction again with the same data', request);
    f.fields('completeAction again with the same data (idempotent)', again, { state: 'declined', code: completed.code, amountAuthorized: 0 });
    const status = await h.status('status after the refused challenge', address);
    f.fields('status after the refused challenge', status, { state: 'declined', amountAuthorized: 0, amountCaptured: 0 });
    if (h.supports('capture')) f.fields('capture after the refused challenge', await h.capture('capture after the refused challenge', address, h.amount), { outcome: 'failed' });
  },
};
