import { approvedCardsCheck, declinedCardsCheck, failedCardsCheck, lostReplyCardCheck } from './checks/cards.check.js';
import { captureNotSupportedCheck, fullCaptureCheck, partialCaptureCheck } from './checks/capture.check.js';
import { cardDataCheck } from './checks/card-data.check.js';
import type { ContractCheck } from './checks/contract-check.js';
import { abortedDeadlineCheck, shortDeadlineCheck } from './checks/deadline.check.js';
import { describeCheck } from './checks/describe.check.js';
import { unifiedErrorsCheck } from './checks/errors.check.js';
import { frictionlessCheck, noReturnUrlCheck } from './checks/frictionless.check.js';
import { attemptIdempotencyCheck, operationIdempotencyCheck } from './checks/idempotency.check.js';
import { notificationsCheck, notificationsNotSupportedCheck } from './checks/notifications.check.js';
import { healthCheck, quoteCheck } from './checks/quote-health.check.js';
import { redirectCompletionCheck } from './checks/redirect.check.js';
import { refundCheck, refundNotSupportedCheck } from './checks/refund.check.js';
import { refusedChallengeCheck } from './checks/refused-challenge.check.js';
import { statusCheck } from './checks/status.check.js';
import { storedCredentialFirstCheck, storedCredentialsNotSupportedCheck, storedCredentialSubsequentCheck } from './checks/stored-credentials.check.js';
import { voidAfterCaptureCheck, voidCheck, voidNotSupportedCheck } from './checks/void.check.js';
import type { NodeExpectations, ResolvedFixture } from './contract-subject.js';

/** The whole contract, in the order it is reported. */
export const CONTRACT_CHECKS: readonly ContractCheck[] = [
  describeCheck,
  approvedCardsCheck,
  declinedCardsCheck,
  failedCardsCheck,
  lostReplyCardCheck,
  redirectCompletionCheck,
  refusedChallengeCheck,
  frictionlessCheck,
  noReturnUrlCheck,
  fullCaptureCheck,
  partialCaptureCheck,
  captureNotSupportedCheck,
  refundCheck,
  refundNotSupportedCheck,
  voidCheck,
  voidAfterCaptureCheck,
  voidNotSupportedCheck,
  storedCredentialFirstCheck,
  storedCredentialSubsequentCheck,
  storedCredentialsNotSupportedCheck,
  attemptIdempotencyCheck,
  operationIdempotencyCheck,
  statusCheck,
  notificationsCheck,
  notificationsNotSupportedCheck,
  abortedDeadlineCheck,
  shortDeadlineCheck,
  quoteCheck,
  healthCheck,
  unifiedErrorsCheck,
  cardDataCheck,
];

/** The checks that make up one subject's contract, given what it declares. */
export function checksFor(fixture: ResolvedFixture, expectations: NodeExpectations): ContractCheck[] {
  return CONTRACT_CHECKS.filter((check) => check.when?.(fixture, expectations) ?? true);
}

export function contractCheck(id: string): ContractCheck {
  const check = CONTRACT_CHECKS.find((candidate) => candidate.id === id);
  if (!check) throw new Error(`no contract check "${id}" (known: ${CONTRACT_CHECKS.map((c) => c.id).join(', ')})`);
  return check;
}
