import type { AuthorizeRequest, Initiator, UnifiedCode } from '#gateway-spi';
import { storedCredentialMismatch, type StoredCredentialRecord } from './stored-credential.js';

/**
 * A 3-D Secure challenge: `waiting` for the shopper; then `passed` or `refused` (by the shopper, or by
 * the issuer after they completed it); `expired` when the attempt was voided while it waited.
 */
export interface ChallengeRecord {
  /** Unguessable: it is all the challenge page's URL carries. */
  token: string;
  pageUrl: string;
  returnUrl: string;
  issuerRefuses: boolean;
  /** Capture when the challenge passes (the authorize request asked to capture). */
  capture: boolean;
  state: 'waiting' | 'passed' | 'refused' | 'expired';
}

/** One authorization as the sandbox provider remembers it, keyed by attempt id. */
export interface ChargeRecord {
  attemptId: string;
  paymentId: string;
  amount: number;
  currency: string;
  /** `requires_action`: its challenge waits for the shopper; nothing is authorized yet. */
  state: 'approved' | 'declined' | 'failed' | 'requires_action';
  code: UnifiedCode | null;
  providerReference: string;
  amountCaptured: number;
  amountRefunded: number;
  voided: boolean;
  challenge: ChallengeRecord | null;
  /** Who started the payment, as the request said (absent: the customer). */
  initiator: Initiator;
  /** What the request said about its stored credential; null for a one-off payment. */
  storedCredential: StoredCredentialRecord | null;
}

export type OperationKind = 'capture' | 'void' | 'refund';

interface Addressed {
  attemptId: string;
  providerReference: string | null;
}

interface WithAmount extends Addressed {
  amount: number;
  currency: string;
}

/** The pure money rules of the provider: each returns why the operation is refused, or null. */
function knownCharge(charge: ChargeRecord | undefined, req: Addressed): string | null {
  if (!charge) return `no authorization is known for attempt ${req.attemptId}`;
  if (req.providerReference !== null && req.providerReference !== charge.providerReference) {
    return `provider reference ${req.providerReference} does not belong to attempt ${req.attemptId}`;
  }
  return null;
}

function approvedCharge(charge: ChargeRecord | undefined, req: Addressed, kind: OperationKind): string | null {
  const unknown = knownCharge(charge, req);
  if (unknown || !charge) return unknown;
  if (charge.state === 'requires_action') return `attempt ${req.attemptId} waits for the shopper's authentication: there is nothing to ${kind} yet`;
  if (charge.state !== 'approved') return `attempt ${req.attemptId} was ${charge.state}: there is nothing to ${kind}`;
  if (charge.voided) return `attempt ${req.attemptId} was voided`;
  return null;
}

function amountProblem(charge: ChargeRecord, req: WithAmount): string | null {
  if (!Number.isSafeInteger(req.amount) || req.amount <= 0) return `amount must be a positive integer (got ${req.amount})`;
  if (req.currency.toUpperCase() !== charge.currency) return `currency ${req.currency} does not match the authorization (${charge.currency})`;
  return null;
}

export function captureProblem(charge: ChargeRecord | undefined, req: WithAmount): string | null {
  const problem = approvedCharge(charge, req, 'capture');
  if (problem || !charge) return problem;
  if (charge.amountCaptured > 0) return `attempt ${req.attemptId} is already captured (${charge.amountCaptured})`;
  const bad = amountProblem(charge, req);
  if (bad) return bad;
  if (req.amount > charge.amount) return `capture amount ${req.amount} exceeds the authorized ${charge.amount}`;
  return null;
}

/** A void of an attempt still waiting for the shopper cancels its challenge (see `SimulatorLedger.void`). */
export function voidProblem(charge: ChargeRecord | undefined, req: Addressed): string | null {
  if (charge?.state === 'requires_action') return knownCharge(charge, req);
  const problem = approvedCharge(charge, req, 'void');
  if (problem || !charge) return problem;
  if (charge.amountCaptured > 0) return `attempt ${req.attemptId} is captured: refund it instead of voiding`;
  return null;
}

export function refundProblem(charge: ChargeRecord | undefined, req: WithAmount): string | null {
  const problem = approvedCharge(charge, req, 'refund');
  if (problem || !charge) return problem;
  const bad = amountProblem(charge, req);
  if (bad) return bad;
  const refundable = charge.amountCaptured - charge.amountRefunded;
  if (req.amount > refundable) return `refund amount ${req.amount} exceeds the refundable ${refundable} (captured ${charge.amountCaptured}, refunded ${charge.amountRefunded})`;
  return null;
}

/**
 * A replayed attempt id must carry the same payment, initiator and stored credential; a different one
 * is a caller bug, not a new charge.
 */
export function replayProblem(
  charge: ChargeRecord,
  req: Pick<AuthorizeRequest, 'paymentId' | 'amount' | 'currency' | 'initiator' | 'storedCredential'>,
): string | null {
  if (charge.paymentId !== req.paymentId || charge.amount !== req.amount || charge.currency !== req.currency.toUpperCase()) {
    return `attempt id ${charge.attemptId} was already used for a different payment or amount`;
  }
  if (storedCredentialMismatch(charge, req)) {
    return `attempt id ${charge.attemptId} was already used with a different initiator or stored credential`;
  }
  return null;
}
