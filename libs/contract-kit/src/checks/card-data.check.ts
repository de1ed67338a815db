import { approvedPayment } from './approved-payment.js';
import { uncapturedWherePossible } from './cards.check.js';
import type { ContractCheck } from './contract-check.js';

/**
 * Every answer of every check is searched for card data, and every line logged through the context's
 * logger. This check makes sure each kind of answer occurs at least once, including the unhappy ones.
 */
export const cardDataCheck: ContractCheck = {
  id: 'card-data',
  title: 'never returns nor logs a full card number or the CVC, in any answer or log line',
  async run(h) {
    const { cards } = h.fixture;
    const numbers = [...cards.approved, ...cards.declined.map((c) => c.number), ...cards.failed.map((c) => c.number)];
    for (const number of numbers) {
      const request = h.payment(number, uncapturedWherePossible(h));
      const outcome = await h.authorize(`authorize(card ${number})`, request);
      await h.status(`status of card ${number}`, h.address(request, outcome));
    }
    if (cards.lostReply !== null) {
      const request = h.payment(cards.lostReply, uncapturedWherePossible(h));
      const outcome = await h.authorize(`authorize(card ${cards.lostReply})`, request, h.context(h.fixture.shortDeadlineMs));
      await h.status(`status of card ${cards.lostReply}`, h.address(request, outcome));
    }
    if (cards.challengeApproved !== null) {
      const base = h.payment(cards.challengeApproved, { capture: false });
      const request = { ...base, returnUrl: h.returnUrl(base.attemptId) };
      const outcome = await h.authorize(`authorize(card ${cards.challengeApproved}, with a return URL)`, request);
      await h.completeAction(`completeAction of card ${cards.challengeApproved}`, { ...h.address(request, outcome), returnData: {} });
    }
    await h.authorize('authorize with an aborted deadline', h.payment(cards.approved[0]!), h.abortedContext());
    await h.authorize(`authorize in ${h.fixture.foreignCurrency}`, h.payment(cards.approved[0]!, { currency: h.fixture.foreignCurrency }));
    const { address } = await approvedPayment(h, !h.supports('capture'), 'to follow up');
    if (h.supports('capture')) await h.capture('capture', address, h.amount);
    if (h.supports('refund')) await h.refund('refund', address, 1);
    await h.void('void', address);
    await h.status('status', address);
    await h.quote('quote');
    await h.health('health');
  },
};
