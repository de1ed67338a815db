import { show } from '../harness/findings.js';
import type { ContractCheck } from './contract-check.js';

export const frictionlessCheck: ContractCheck = {
  id: 'shopper.frictionless',
  title: 'a frictionless 3-D Secure card is approved without the shopper, even with a return URL',
  notApplicable: (fixture) => (fixture.cards.frictionless === null ? 'the fixture declares no frictionless card (cards.frictionless: null)' : null),
  async run(h) {
    const number = h.fixture.cards.frictionless!;
    const base = h.payment(number, { capture: false });
    const request = { ...base, returnUrl: h.returnUrl(base.attemptId) };
    const label = `authorize(card ${number}, capture: false, with a return URL)`;
    const outcome = await h.authorize(label, request);
    if (!h.findings.fields(label, outcome, { outcome: 'approved', code: null, retryable: false, amountCaptured: 0 })) return;
    h.findings.expect(outcome.nextAction === undefined || outcome.nextAction === null, `${label}: an approval carries nextAction ${show(outcome.nextAction)}`);
    h.checkAttempts(label, request, outcome);
    h.findings.fields(`status after ${label}`, await h.status(`status after ${label}`, h.address(request, outcome)), { state: 'approved', amountAuthorized: h.amount });
  },
};

export const noReturnUrlCheck: ContractCheck = {
  id: 'shopper.no-return-url',
  title: 'a challenge card without a return URL is declined authentication_required, never left waiting for a shopper',
  notApplicable: (fixture) => (fixture.cards.challengeApproved === null ? 'the fixture declares no challenge card (cards.challengeApproved: null)' : null),
  async run(h) {
    const number = h.fixture.cards.challengeApproved!;
    const request = h.payment(number, { capture: false });
    const label = `authorize(card ${number}, capture: false, no return URL)`;
    const outcome = await h.authorize(label, request);
    if (!h.findings.fields(label, outcome, { outcome: 'declined', code: 'authentication_required', retryable: false, amountCaptured: 0 })) return;
    h.checkAttempts(label, request, outcome);
    const status = await h.status(`status after ${label}`, h.address(request, outcome));
    h.findings.expect(
      status.state !== 'requires_action' && status.state !== 'approved' && status.amountAuthorized === 0,
      `status after ${label}: must show the attempt ended without money, got ${status.state} with ${status.amountAuthorized} authorized`,
    );
  },
};
