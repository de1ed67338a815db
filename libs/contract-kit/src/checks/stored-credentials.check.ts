import { isNotSupported, type AuthorizeOutcome, type AuthorizeRequest, type StoredCredential } from '#gateway-spi';
import type { NodeExpectations } from '../contract-subject.js';
import { anyOf, show } from '../harness/findings.js';
import type { NodeHarness } from '../harness/node-harness.js';
import type { ContractCheck } from './contract-check.js';

const supported = (_f: unknown, e: NodeExpectations) => !(e.unsupported ?? []).includes('stored_credentials');

const FIRST: StoredCredential = { usage: 'first', model: 'unscheduled', networkTransactionId: null };
const subsequent = (networkTransactionId: string): StoredCredential => ({ usage: 'subsequent', model: 'unscheduled', networkTransactionId });

const noShopper = (h: NodeHarness, label: string, outcome: AuthorizeOutcome) =>
  h.findings.expect(outcome.nextAction === undefined || outcome.nextAction === null, `${label}: a merchant-initiated payment carries nextAction ${show(outcome.nextAction)}: nobody is there to act`);

/**
 * A customer-initiated sale that stores the card: approved, with the scheme's network transaction id
 * later merchant-initiated payments are sent with. Ends the check otherwise.
 */
async function firstUse(h: NodeHarness, why = ''): Promise<{ request: AuthorizeRequest; outcome: AuthorizeOutcome; networkTransactionId: string }> {
  const number = h.fixture.cards.approved[0]!;
  const request = h.payment(number, { capture: true, storedCredential: FIRST });
  const label = [`authorize(card ${number}, capture: true, storedCredential first/unscheduled)`, why].filter(Boolean).join(' ');
  const outcome = await h.authorize(label, request);
  h.findings.requireFields(label, outcome, { outcome: 'approved', code: null, amountCaptured: h.amount });
  const id = outcome.networkTransactionId;
  h.findings.require(
    typeof id === 'string' && id.length > 0,
    `${label}: an approved first use of a stored credential must answer the scheme's network transaction id (a non-empty string) that later merchant-initiated payments are sent with, got networkTransactionId ${show(id)}`,
  );
  h.checkAttempts(label, request, outcome);
  return { request, outcome, networkTransactionId: id };
}

export const storedCredentialFirstCheck: ContractCheck = {
  id: 'stored_credentials.first',
  title: "a customer-initiated sale that stores the card is approved with the scheme's network transaction id",
  when: supported,
  async run(h) {
    const { request, outcome } = await firstUse(h);
    const label = 'status after the first use of a stored credential';
    h.findings.fields(label, await h.status(label, h.address(request, outcome)), { state: 'approved', amountAuthorized: h.amount, amountCaptured: h.amount });
  },
};

export const storedCredentialSubsequentCheck: ContractCheck = {
  id: 'stored_credentials.subsequent',
  title: 'a merchant-initiated payment with the stored credential is approved without the shopper; with a challenge card it never waits for one',
  when: supported,
  async run(h) {
    const f = h.findings;
    const { networkTransactionId } = await firstUse(h, 'to store the card');
    const number = h.fixture.cards.approved[0]!;
    const request = h.payment(number, { capture: true, initiator: 'merchant', storedCredential: subsequent(networkTransactionId) });
    const label = `a merchant-initiated authorize(card ${number}, capture: true, storedCredential subsequent with the first's network transaction id, no return URL)`;
    const outcome = await h.authorize(label, request);
    if (f.fields(label, outcome, { outcome: 'approved', code: null, retryable: false, amountCaptured: h.amount })) {
      noShopper(h, label, outcome);
      h.checkAttempts(label, request, outcome);
      const statusLabel = `status after ${label}`;
      f.fields(statusLabel, await h.status(statusLabel, h.address(request, outcome)), { state: 'approved', amountAuthorized: h.amount, amountCaptured: h.amount });
    }

    // The leaf could bring a shopper back (a return URL is set), yet a merchant-initiated payment must not ask for one.
    const challenge = h.fixture.cards.challengeApproved;
    if (challenge === null) return;
    const base = h.payment(challenge, { capture: false, initiator: 'merchant', storedCredential: subsequent(networkTransactionId) });
    const challenged = { ...base, returnUrl: h.returnUrl(base.attemptId) };
    const challengeLabel = `a merchant-initiated authorize(challenge card ${challenge}, capture: false, storedCredential subsequent, with a return URL)`;
    const answer = await h.authorize(challengeLabel, challenged);
    if (!f.fields(challengeLabel, answer, { outcome: anyOf<AuthorizeOutcome['outcome']>('approved', 'declined'), retryable: false, amountCaptured: 0 })) return;
    noShopper(h, challengeLabel, answer);
    h.checkAttempts(challengeLabel, challenged, answer);
    const statusLabel = `status after ${challengeLabel}`;
    const status = await h.status(statusLabel, h.address(challenged, answer));
    if (answer.outcome === 'approved') f.fields(statusLabel, status, { state: 'approved', amountAuthorized: h.amount });
    else {
      f.expect(
        status.state !== 'requires_action' && status.state !== 'approved' && status.amountAuthorized === 0,
        `${statusLabel}: must show the declined attempt ended without money and without waiting for the shopper, got ${status.state} with ${status.amountAuthorized} authorized`,
      );
    }
  },
};

export const storedCredentialsNotSupportedCheck: ContractCheck = {
  id: 'stored_credentials.not-supported',
  title: 'an authorize carrying a stored credential answers an explicit "not supported", retryable, nothing charged (declared unsupported)',
  when: (f, e) => !supported(f, e),
  async run(h) {
    const number = h.fixture.cards.approved[0]!;
    const request = h.payment(number, { capture: true, storedCredential: FIRST });
    const label = `authorize(card ${number}, capture: true, storedCredential first/unscheduled) (declared unsupported)`;
    const outcome = await h.authorize(label, request);
    h.findings.expect(
      isNotSupported(outcome) && outcome.retryable === true && outcome.amountCaptured === 0,
      `${label}: stored credentials are declared unsupported, so it must answer failed operation_not_supported, retryable (nothing charged, another leaf may take it), got ${show({ outcome: outcome.outcome, code: outcome.code, retryable: outcome.retryable, amountCaptured: outcome.amountCaptured })}`,
    );
    const statusLabel = `status after ${label}`;
    const status = await h.status(statusLabel, h.address(request, outcome));
    h.findings.expect(
      status.state !== 'approved' && status.amountAuthorized === 0 && status.amountCaptured === 0,
      `${statusLabel}: must show nothing was charged, got ${status.state} with ${status.amountAuthorized} authorized, ${status.amountCaptured} captured`,
    );
  },
};
