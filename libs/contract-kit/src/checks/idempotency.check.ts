import type { OperationOutcome } from '#gateway-spi';
import { uncapturedWherePossible } from './cards.check.js';
import { approvedPayment } from './approved-payment.js';
import type { ContractCheck } from './contract-check.js';
import { ACCEPTED, afterOperation } from './pending.js';

/** A replayed operation answers as the first time, or, if that was pending, as confirmed since. */
const sameOrConfirmed = (first: OperationOutcome) => (first.outcome === 'pending' ? ACCEPTED : first.outcome);

export const attemptIdempotencyCheck: ContractCheck = {
  id: 'idempotency.attempt',
  title: 'the same attempt id twice charges once and answers the same outcome (status shows one charge)',
  async run(h) {
    const f = h.findings;
    const sale = await approvedPayment(h, true, '(a sale)');
    const replay = await h.authorize('the same sale replayed (same attempt id)', sale.request);
    const { outcome, code, providerReference, amountCaptured, path } = sale.outcome;
    f.fields('the same sale replayed (same attempt id)', replay, { outcome, code, providerReference, amountCaptured, path });
    const status = await h.status('status after the replayed sale', sale.address);
    f.fields('status after the replayed sale (one charge)', status, { state: 'approved', amountAuthorized: h.amount, amountCaptured: h.amount });

    const declined = h.fixture.cards.declined[0];
    if (!declined) return;
    const request = h.payment(declined.number, uncapturedWherePossible(h));
    const first = await h.authorize(`authorize(card ${declined.number})`, request);
    f.requireFields(`authorize(card ${declined.number})`, first, { outcome: 'declined', code: declined.code });
    const again = await h.authorize(`authorize(card ${declined.number}) replayed`, request);
    f.fields(`authorize(card ${declined.number}) replayed`, again, { outcome: 'declined', code: declined.code, providerReference: first.providerReference });
  },
};

export const operationIdempotencyCheck: ContractCheck = {
  id: 'idempotency.operation',
  title: 'the same operation id twice applies a capture or refund once',
  when: (_f, e) => {
    const unsupported = e.unsupported ?? [];
    return !(unsupported.includes('capture') && unsupported.includes('refund'));
  },
  async run(h) {
    const f = h.findings;
    if (h.supports('capture')) {
      const { address } = await approvedPayment(h, false, 'to capture twice');
      const operationId = h.newId('cap');
      const first = await h.capture('capture (operation id X)', address, h.amount, operationId);
      f.requireFields('capture (operation id X)', first, { outcome: ACCEPTED });
      const again = await h.capture('capture replayed (operation id X)', address, h.amount, operationId);
      f.fields('capture replayed (operation id X)', again, { outcome: sameOrConfirmed(first), providerReference: first.providerReference });
      f.fields('status after the replayed capture', await h.status('status after the replayed capture', address), { amountCaptured: afterOperation(first, 0, h.amount) });
    }
    if (h.supports('refund')) {
      const { address } = await approvedPayment(h, true, 'to refund twice');
      const part = Math.floor(h.amount / 4);
      const operationId = h.newId('re');
      const first = await h.refund(`refund ${part} (operation id Y)`, address, part, operationId);
      f.requireFields(`refund ${part} (operation id Y)`, first, { outcome: ACCEPTED });
      const again = await h.refund(`refund ${part} replayed (operation id Y)`, address, part, operationId);
      f.fields(`refund ${part} replayed (operation id Y)`, again, { outcome: sameOrConfirmed(first), providerReference: first.providerReference });
      f.fields('status after the replayed refund (refunded once)', await h.status('status after the replayed refund', address), { amountRefunded: afterOperation(first, 0, part) });
    }
  },
};
