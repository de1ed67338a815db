import type { AuthorizeOutcome, AuthorizeRequest } from '#gateway-spi';
import type { NodeHarness } from '../harness/node-harness.js';
import type { ContractCheck } from './contract-check.js';
import { ACCEPTED } from './pending.js';

const cardLabel = (request: AuthorizeRequest) => `authorize(card ${request.paymentMethod.card.number}, capture: ${request.capture})`;

/** Authorize-only where the node captures separately, else a sale. */
export const uncapturedWherePossible = (h: NodeHarness) => !h.supports('capture') ? { capture: true } : { capture: false };

export const approvedCardsCheck: ContractCheck = {
  id: 'cards.approved',
  title: 'approves the approving test cards, authorize-only and with capture; status agrees',
  async run(h) {
    const modes = h.supports('capture') ? [false, true] : [true];
    for (const number of h.fixture.cards.approved) {
      for (const capture of modes) {
        const request = h.payment(number, { capture });
        const label = cardLabel(request);
        const outcome = await h.authorize(label, request);
        if (!h.findings.fields(label, outcome, { outcome: 'approved', code: null, retryable: false, amountCaptured: capture ? h.amount : 0 })) continue;
        h.findings.expect(typeof outcome.providerReference === 'string' && outcome.providerReference.length > 0, `${label}: an approval carries no provider reference`);
        h.checkAttempts(label, request, outcome);
        const status = await h.status(`status after ${label}`, h.address(request, outcome));
        h.findings.fields(`status after ${label}`, status, { state: 'approved', amountAuthorized: h.amount, amountCaptured: capture ? h.amount : 0, amountRefunded: 0, voided: false });
      }
    }
  },
};

export const declinedCardsCheck: ContractCheck = {
  id: 'cards.declined',
  title: 'declines each declining test card with its code, final; status agrees; its capture is refused',
  async run(h) {
    for (const { number, code } of h.fixture.cards.declined) {
      const request = h.payment(number, uncapturedWherePossible(h));
      const label = cardLabel(request);
      const outcome = await h.authorize(label, request);
      if (!h.findings.fields(label, outcome, { outcome: 'declined', code, retryable: false, amountCaptured: 0 })) continue;
      h.checkAttempts(label, request, outcome);
      const address = h.address(request, outcome);
      const status = await h.status(`status after ${label}`, address);
      h.findings.fields(`status after ${label}`, status, { state: 'declined', code, amountAuthorized: 0, amountCaptured: 0 });
      if (h.supports('capture')) {
        const captured = await h.capture(`capture after ${label}`, address, h.amount);
        h.findings.fields(`capture after ${label}`, captured, { outcome: 'failed' });
      }
    }
  },
};

export const failedCardsCheck: ContractCheck = {
  id: 'cards.failed',
  title: 'fails the failing test cards as retryable, and status confirms nothing was charged',
  async run(h) {
    for (const { number, code } of h.fixture.cards.failed) {
      const request = h.payment(number, uncapturedWherePossible(h));
      const label = cardLabel(request);
      const outcome = await h.authorize(label, request);
      if (!h.findings.fields(label, outcome, { outcome: 'failed', code, retryable: true, amountCaptured: 0 })) continue;
      h.checkAttempts(label, request, outcome);
      await expectNothingCharged(h, `status after ${label}`, request, outcome);
    }
  },
};

/** A retryable outcome claims no money moved: the provider's view must agree. */
export async function expectNothingCharged(h: NodeHarness, label: string, request: AuthorizeRequest, outcome: AuthorizeOutcome): Promise<void> {
  const status = await h.status(label, h.address(request, outcome));
  h.findings.expect(
    status.state !== 'approved' && status.amountAuthorized === 0,
    `${label}: the outcome claimed nothing was charged (retryable), but status says ${status.state} with ${status.amountAuthorized} authorized`,
  );
}

export const lostReplyCardCheck: ContractCheck = {
  id: 'cards.lost-reply',
  title: 'the lost-reply card answers provider_timeout at the deadline, never hangs; status then says approved, charged once',
  notApplicable: (fixture) => (fixture.cards.lostReply === null ? 'the fixture declares no lost-reply card (cards.lostReply: null)' : null),
  async run(h) {
    const number = h.fixture.cards.lostReply!;
    const settles = h.expectations.settlesUnknown === true;
    const request = h.payment(number, uncapturedWherePossible(h));
    const label = `${cardLabel(request)} with a ${settles ? h.fixture.callTimeoutMs : h.fixture.shortDeadlineMs} ms deadline`;
    // A node that settles unknowns itself gets the time to; a leaf must give up at its deadline.
    const outcome = await h.authorize(label, request, h.context(settles ? h.fixture.callTimeoutMs : h.fixture.shortDeadlineMs));
    const expected = settles ? { outcome: 'approved' as const, code: null } : { outcome: 'unknown' as const, code: 'provider_timeout' as const, amountCaptured: 0 };
    h.findings.requireFields(label, outcome, { ...expected, retryable: false });
    h.checkAttempts(label, request, outcome);
    const address = h.address(request, outcome);
    const status = await h.status(`status after ${label}`, address);
    h.findings.requireFields(`status after ${label}`, status, { state: 'approved', amountAuthorized: h.amount, amountCaptured: request.capture ? h.amount : 0 });

    const replayLabel = `replayed ${label}`;
    const replay = await h.authorize(replayLabel, request, h.context(settles ? h.fixture.callTimeoutMs : h.fixture.shortDeadlineMs));
    h.findings.expect(
      replay.outcome === 'approved' || (replay.outcome === 'unknown' && replay.code === 'provider_timeout'),
      `${replayLabel}: a replay of a charged attempt must answer approved (or unknown again), got ${replay.outcome} ${replay.code}`,
    );
    const again = await h.status(`status after ${replayLabel}`, address);
    h.findings.fields(`status after ${replayLabel} (one charge)`, again, { state: 'approved', amountAuthorized: h.amount });

    if (h.supports('capture') && !request.capture) {
      const settled = { ...address, providerReference: status.providerReference ?? address.providerReference };
      const captured = await h.capture(`capture after ${label}, once status settled it`, settled, h.amount);
      h.findings.fields(`capture after ${label}, once status settled it`, captured, { outcome: ACCEPTED, code: null });
    }
  },
};
