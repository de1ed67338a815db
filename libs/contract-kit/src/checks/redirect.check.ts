import type { ContractCheck } from './contract-check.js';
import { challengedPayment } from './challenged-payment.js';
import { ACCEPTED } from './pending.js';

export const redirectCompletionCheck: ContractCheck = {
  id: 'shopper.redirect',
  title: 'a challenge card asks for the shopper (a redirect); once the shopper is back, completeAction approves, idempotently; the capture follows',
  notApplicable: (fixture) => (fixture.cards.challengeApproved === null ? 'the fixture declares no challenge card (cards.challengeApproved: null)' : null),
  async run(h) {
    const f = h.findings;
    const { address, returnUrl, url } = await challengedPayment(h, h.fixture.cards.challengeApproved!, 'to complete');
    // Before the shopper acted, completing can only tell that the provider still waits for them.
    const early = 'completeAction before the shopper acted (no return data)';
    f.fields(early, await h.completeAction(early, { ...address, returnData: {} }), { state: 'requires_action', amountAuthorized: 0, amountCaptured: 0 });
    const returnData = await h.shopper('the shopper on the challenge page (first button)', url, returnUrl);
    const request = { ...address, returnData };
    const completed = await h.completeAction('completeAction with the return data', request);
    f.requireFields('completeAction with the return data', completed, { state: 'approved', code: null, amountAuthorized: h.amount, amountCaptured: 0, voided: false });
    const again = await h.completeAction('completeAction again with the same data', request);
    f.fields('completeAction again with the same data (idempotent)', again, { state: 'approved', code: null, amountAuthorized: h.amount, amountCaptured: 0 });
    const settled = { ...address, providerReference: completed.providerReference ?? address.providerReference };
    f.fields('status after completeAction', await h.status('status after completeAction', settled), { state: 'approved', amountAuthorized: h.amount });
    if (h.supports('capture')) {
      f.fields('capture after completeAction', await h.capture('capture after completeAction', settled, h.amount, `${address.attemptId}.capture`), { outcome: ACCEPTED, code: null });
    }
  },
};
