import type { AttemptAddress, AuthorizeOutcome, AuthorizeRequest } from '#gateway-spi';
import { isShopperUrl } from '../harness/answer-shapes.js';
import { show } from '../harness/findings.js';
import type { NodeHarness } from '../harness/node-harness.js';

export interface ChallengedPayment {
  request: AuthorizeRequest;
  outcome: AuthorizeOutcome;
  address: AttemptAddress;
  returnUrl: string;
  /** The page the shopper is sent to. */
  url: string;
}

/**
 * An authorization (capture false, with a return URL) that waits for the shopper: requires_action with
 * a redirect, bound to the leaf its path reaches, and status agrees. Ends the check otherwise.
 */
export async function challengedPayment(h: NodeHarness, number: string, why: string): Promise<ChallengedPayment> {
  const base = h.payment(number, { capture: false });
  const returnUrl = h.returnUrl(base.attemptId);
  const request = { ...base, returnUrl };
  const label = `authorize(card ${number}, capture: false, with a return URL) ${why}`;
  const outcome = await h.authorize(label, request);
  h.findings.requireFields(label, outcome, { outcome: 'requires_action', code: null, retryable: false, amountCaptured: 0 });
  const url = outcome.nextAction?.url;
  h.findings.require(outcome.nextAction?.type === 'redirect_to_url' && isShopperUrl(url), `${label}: requires_action without a redirect to an absolute http(s) URL (nextAction ${show(outcome.nextAction)})`);
  h.checkAttempts(label, request, outcome);
  const address = h.address(request, outcome);
  const status = await h.status(`status after ${label}`, address);
  h.findings.fields(`status after ${label} (waiting for the shopper)`, status, { state: 'requires_action', amountAuthorized: 0, amountCaptured: 0 });
  return { request, outcome, address, returnUrl, url: url! };
}
