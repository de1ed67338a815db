import type { AttemptAddress, AuthorizeOutcome, AuthorizeRequest } from '#gateway-spi';
import type { NodeHarness } from '../harness/node-harness.js';

export interface ApprovedPayment {
  request: AuthorizeRequest;
  outcome: AuthorizeOutcome;
  address: AttemptAddress;
}

/** An approved authorization (a sale with `capture: true`) to run follow-ups on; ends the check if refused. */
export async function approvedPayment(h: NodeHarness, capture: boolean, why: string): Promise<ApprovedPayment> {
  const number = h.fixture.cards.approved[0]!;
  const request = h.payment(number, { capture });
  const label = `authorize(card ${number}, capture: ${capture}) ${why}`;
  const outcome = await h.authorize(label, request);
  h.findings.requireFields(label, outcome, { outcome: 'approved', amountCaptured: capture ? h.amount : 0 });
  return { request, outcome, address: h.address(request, outcome) };
}
