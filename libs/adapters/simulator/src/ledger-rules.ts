import type { UnifiedCode } from '#gateway-spi';

/** One authorization as the sandbox provider remembers it, keyed by attempt id. */
export interface ChargeRecord {
  attemptId: string;
  paymentId: string;
  amount: number;
  currency: string;
  state: 'approved' | 'declined' | 'failed';
  code: UnifiedCode | null;
  providerReference: string;
  amountCaptured: number;
  amountRefunded: number;
  voided: boolean;
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
function approvedCharge(charge: ChargeRecord | undefined, req: Addressed, kind: OperationKind): string | null {
  if (!charge) return `no authorization is known for attempt ${req.attemptId}`;
  if (req.providerReference !== null && req.providerReference !== charge.providerReference) {
    return `provider reference ${req.providerReference} does not belong to attempt ${req.attemptId}`;
  }
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

export function voidProblem(charge: ChargeRecord | undefined, req: Addressed): string | null {
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

/** A replayed attempt id must carry the same payment; a different one is a caller bug, not a new charge. */
export function replayProblem(charge: ChargeRecord, req: { paymentId: string; amount: number; currency: string }): string | null {
  if (charge.paymentId !== req.paymentId || charge.amount !== req.amount || charge.currency !== req.currency.toUpperCase()) {
    return `attempt id ${charge.attemptId} was already used for a different payment or amount`;
  }
  return null;
}
