import { approvedPayment } from './approved-payment.js';
import type { ContractCheck } from './contract-check.js';

export const unifiedErrorsCheck: ContractCheck = {
  id: 'errors',
  title: 'answers problems as outcomes with unified codes: foreign currency, unknown attempts, wrong paths',
  async run(h) {
    const f = h.findings;
    const foreign = h.payment(h.fixture.cards.approved[0]!, { currency: h.fixture.foreignCurrency });
    const label = `authorize in ${h.fixture.foreignCurrency}`;
    f.fields(label, await h.authorize(label, foreign), { outcome: 'failed', code: 'currency_not_supported', retryable: true, amountCaptured: 0 });

    const { address } = await approvedPayment(h, false, 'for its path');
    const unknown = { ...address, attemptId: h.newId('att'), providerReference: null };
    const wrongPath = { ...address, path: [`not-${h.node.id}`, ...address.path.slice(1)] };
    for (const [what, target] of [['an attempt never made', unknown], ['a wrong path', wrongPath]] as const) {
      // Every answer's code is checked against the unified codes by the harness.
      f.fields(`capture of ${what}`, await h.capture(`capture of ${what}`, target, 1), { outcome: 'failed' });
      f.fields(`void of ${what}`, await h.void(`void of ${what}`, target), { outcome: 'failed' });
      f.fields(`refund of ${what}`, await h.refund(`refund of ${what}`, target, 1), { outcome: 'failed' });
    }
    f.fields('status of the approved attempt after the refused follow-ups', await h.status('status of the approved attempt', address), {
      state: 'approved',
      amountCaptured: 0,
      voided: false,
    });
  },
};
