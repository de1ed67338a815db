import { approvedPayment } from './approved-payment.js';
import { uncapturedWherePossible, expectNothingCharged } from './cards.check.js';
import type { ContractCheck } from './contract-check.js';
import { accepted } from './pending.js';

/** Milliseconds since `started`, for messages. */
const since = (started: number) => Date.now() - started;

export const abortedDeadlineCheck: ContractCheck = {
  id: 'deadline.aborted',
  title: 'a call whose deadline has passed answers provider_timeout at once, charging nothing',
  async run(h) {
    const f = h.findings;
    const margin = h.fixture.hangMarginMs;
    const request = h.payment(h.fixture.cards.approved[0]!, uncapturedWherePossible(h));
    const started = Date.now();
    const outcome = await h.authorize('authorize with an aborted deadline', request, h.abortedContext());
    f.expect(since(started) <= margin, `authorize with an aborted deadline took ${since(started)} ms (bound ${margin} ms)`);
    f.expect(
      (outcome.outcome === 'failed' || outcome.outcome === 'unknown') && outcome.code === 'provider_timeout' && outcome.amountCaptured === 0,
      `authorize with an aborted deadline must answer failed or unknown with provider_timeout, got ${outcome.outcome} ${outcome.code}`,
    );
    if (outcome.retryable) await expectNothingCharged(h, 'status after the aborted authorize', request, outcome);

    const { address } = await approvedPayment(h, false, 'to follow up with aborted deadlines');
    const followUps = [
      ['capture', () => h.capture('capture with an aborted deadline', address, h.amount, undefined, h.abortedContext())],
      ['void', () => h.void('void with an aborted deadline', address, undefined, h.abortedContext())],
      ['refund', () => h.refund('refund with an aborted deadline', address, 1, undefined, h.abortedContext())],
    ] as const;
    for (const [operation, call] of followUps) {
      if (!h.supports(operation)) continue;
      const answer = await call();
      f.expect(!accepted(answer) && answer.code === 'provider_timeout', `${operation} with an aborted deadline must answer provider_timeout, got ${answer.outcome} ${answer.code}`);
    }
    const status = await h.status('status with an aborted deadline', address, h.abortedContext());
    f.fields('status with an aborted deadline', status, { state: 'unknown', code: 'provider_timeout' });
    const after = await h.status('status after the aborted follow-ups', address);
    f.fields('status after the aborted follow-ups (nothing changed)', after, { state: 'approved', amountCaptured: 0, amountRefunded: 0, voided: false });
    // Quote and health only have to answer; the harness fails them if they hang.
    await h.quote('quote with an aborted deadline', {}, h.abortedContext());
    await h.health('health with an aborted deadline', h.abortedContext());
  },
};

export const shortDeadlineCheck: ContractCheck = {
  id: 'deadline.short',
  title: 'a short deadline is honoured: a provider that does not reply ends in provider_timeout, not a hang',
  async run(h) {
    const f = h.findings;
    const deadline = h.fixture.shortDeadlineMs;
    const bound = deadline + h.fixture.hangMarginMs;
    const lostReply = h.fixture.cards.lostReply;
    const request = h.payment(lostReply ?? h.fixture.cards.approved[0]!, uncapturedWherePossible(h));
    const budget = lostReply === null ? 1 : deadline;
    const label = `authorize(card ${request.paymentMethod.card.number}) with a ${budget} ms deadline`;
    const started = Date.now();
    const outcome = await h.authorize(label, request, h.context(budget));
    f.expect(since(started) <= bound, `${label} answered after ${since(started)} ms (bound ${bound} ms)`);
    const timedOut = outcome.code === 'provider_timeout' && (outcome.outcome === 'unknown' || outcome.outcome === 'failed');
    const settled = outcome.outcome === 'approved';
    if (lostReply !== null && h.expectations.settlesUnknown !== true) {
      f.fields(label, outcome, { outcome: 'unknown', code: 'provider_timeout', retryable: false });
    } else {
      f.expect(timedOut || settled, `${label} must answer provider_timeout (or approved, settled in time), got ${outcome.outcome} ${outcome.code}`);
    }
    if (lostReply !== null) {
      const status = await h.status(`status after ${label}`, h.address(request, outcome));
      f.fields(`status after ${label}`, status, { state: 'approved', amountAuthorized: h.amount });
    }
  },
};
