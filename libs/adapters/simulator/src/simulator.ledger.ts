import { randomUUID } from 'node:crypto';
import { type CaptureRequest, type Initiator, type OperationOutcome, type RefundRequest, type StatusOutcome, statusWithoutMoney, type VoidRequest } from '#gateway-spi';
import { captureProblem, refundProblem, voidProblem, type ChallengeRecord, type ChargeRecord, type OperationKind } from './ledger-rules.js';
import type { StoredCredentialRecord, StoredCredentialView } from './stored-credential.js';

interface OperationRecord {
  kind: OperationKind;
  attemptId: string;
  amount: number;
  outcome: OperationOutcome;
}

export type NewCharge = Omit<ChargeRecord, 'providerReference' | 'amountRefunded' | 'voided' | 'challenge' | 'initiator' | 'storedCredential'> & {
  /** With state `requires_action`: the challenge the shopper must answer. */
  challenge?: Omit<ChallengeRecord, 'state'>;
  /** Default `customer`. */
  initiator?: Initiator;
  /** Default null: a one-off payment. */
  storedCredential?: StoredCredentialRecord | null;
};

/** What the challenge page shows and where it sends the shopper: no card data. */
export interface ChallengeView {
  token: string;
  state: ChallengeRecord['state'];
  pageUrl: string;
  returnUrl: string;
  amount: number;
  currency: string;
}

// randomUUID draws from a cached batch of entropy: cheaper per call than randomBytes (several references per payment).
const randomReference = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;

const copy = (charge: ChargeRecord): ChargeRecord => ({
  ...charge,
  challenge: charge.challenge && { ...charge.challenge },
  storedCredential: charge.storedCredential && { ...charge.storedCredential },
});

function viewOf(charge: ChargeRecord): ChallengeView | null {
  const challenge = charge.challenge;
  if (!challenge) return null;
  const { token, state, pageUrl, returnUrl } = challenge;
  return { token, state, pageUrl, returnUrl, amount: charge.amount, currency: charge.currency };
}

function succeeded(providerReference: string): OperationOutcome {
  return { outcome: 'succeeded', code: null, message: null, providerReference };
}

function refused(message: string): OperationOutcome {
  return { outcome: 'failed', code: 'processing_error', message, providerReference: null };
}

/**
 * The sandbox provider's memory: charges keyed by attempt id, operations keyed by operation id.
 * Both keys are idempotency keys: a replay returns what the first call decided and changes nothing.
 */
export class SimulatorLedger {
  private readonly charges = new Map<string, ChargeRecord>();
  private readonly operations = new Map<string, OperationRecord>();
  /** Challenge token → attempt id. */
  private readonly challenges = new Map<string, string>();

  constructor(private readonly newReference: (prefix: string) => string = randomReference) {}

  findCharge(attemptId: string): ChargeRecord | undefined {
    const charge = this.charges.get(attemptId);
    return charge ? copy(charge) : undefined;
  }

  recordCharge({ challenge, initiator = 'customer', storedCredential = null, ...charge }: NewCharge): ChargeRecord {
    const record: ChargeRecord = {
      ...charge,
      initiator,
      storedCredential: storedCredential && { ...storedCredential },
      providerReference: this.newReference('simch'),
      amountRefunded: 0,
      voided: false,
      challenge: challenge ? { ...challenge, state: 'waiting' } : null,
    };
    this.charges.set(record.attemptId, record);
    if (record.challenge) this.challenges.set(record.challenge.token, record.attemptId);
    return copy(record);
  }

  /** What the attempt's request said about its stored credential; null when unknown or a one-off payment. */
  storedCredentialOf(attemptId: string): StoredCredentialView | null {
    const charge = this.charges.get(attemptId);
    const credential = charge?.storedCredential;
    if (!charge || !credential) return null;
    return { ...credential, networkTransactionId: charge.state === 'approved' ? credential.networkTransactionId : null };
  }

  findChallenge(token: string): ChallengeView | null {
    const charge = this.chargeOfChallenge(token);
    return charge ? viewOf(charge) : null;
  }

  /**
   * The shopper submitted the challenge page: passed, the issuer approves (and captures when asked)
   * unless the card's issuer refuses; not passed, declined. Only a waiting challenge changes: a second
   * submission answers what the first decided, an expired one stays expired.
   */
  answerChallenge(token: string, shopperPassed: boolean): ChallengeView | null {
    const charge = this.chargeOfChallenge(token);
    if (!charge?.challenge) return null;
    const challenge = charge.challenge;
    if (challenge.state === 'waiting') {
      if (shopperPassed && !challenge.issuerRefuses) {
        challenge.state = 'passed';
        charge.state = 'approved';
        charge.amountCaptured = challenge.capture ? charge.amount : 0;
      } else {
        challenge.state = 'refused';
        charge.state = 'declined';
        charge.code = 'authentication_failed';
      }
    }
    return viewOf(charge);
  }

  capture(req: CaptureRequest): OperationOutcome {
    return this.operate(req.operationId, 'capture', req, req.amount, (c) => captureProblem(c, req), (charge) => {
      charge.amountCaptured = req.amount;
      return succeeded(charge.providerReference);
    });
  }

  /**
   * Voiding an attempt that still waits for the shopper cancels its challenge: nothing was ever
   * authorized, so it ends declined `authentication_abandoned` (with `voided` set) and its page expires.
   */
  void(req: VoidRequest): OperationOutcome {
    return this.operate(req.operationId, 'void', req, 0, (c) => voidProblem(c, req), (charge) => {
      charge.voided = true;
      if (charge.state === 'requires_action' && charge.challenge) {
        charge.challenge.state = 'expired';
        charge.state = 'declined';
        charge.code = 'authentication_abandoned';
      }
      return succeeded(charge.providerReference);
    });
  }

  refund(req: RefundRequest): OperationOutcome {
    return this.operate(req.operationId, 'refund', req, req.amount, (c) => refundProblem(c, req), (charge) => {
      charge.amountRefunded += req.amount;
      return succeeded(this.newReference('simre'));
    });
  }

  status(attemptId: string): StatusOutcome {
    const charge = this.charges.get(attemptId);
    if (!charge) {
      return statusWithoutMoney('not_found');
    }
    const status: StatusOutcome = {
      state: charge.state,
      code: charge.code,
      providerReference: charge.providerReference,
      amountAuthorized: charge.state === 'approved' ? charge.amount : 0,
      amountCaptured: charge.amountCaptured,
      amountRefunded: charge.amountRefunded,
      voided: charge.voided,
    };
    if (charge.state === 'requires_action' && charge.challenge) status.nextAction = { type: 'redirect_to_url', url: charge.challenge.pageUrl };
    // A first use of a stored credential settled after its authorize (3-D Secure, a lost answer) still tells its id.
    if (charge.state === 'approved' && charge.storedCredential) status.networkTransactionId = charge.storedCredential.networkTransactionId;
    return status;
  }

  private chargeOfChallenge(token: string): ChargeRecord | undefined {
    const attemptId = this.challenges.get(token);
    return attemptId === undefined ? undefined : this.charges.get(attemptId);
  }

  private operate(
    operationId: string,
    kind: OperationKind,
    req: { attemptId: string },
    amount: number,
    problemWith: (charge: ChargeRecord | undefined) => string | null,
    apply: (charge: ChargeRecord) => OperationOutcome,
  ): OperationOutcome {
    const seen = this.operations.get(operationId);
    if (seen) {
      if (seen.kind !== kind || seen.attemptId !== req.attemptId || seen.amount !== amount) {
        return refused(`operation id ${operationId} was already used for a different operation (${seen.kind} of ${seen.attemptId})`);
      }
      return { ...seen.outcome };
    }
    const charge = this.charges.get(req.attemptId);
    const problem = problemWith(charge);
    const outcome = problem === null && charge ? apply(charge) : refused(problem ?? `no authorization is known for attempt ${req.attemptId}`);
    this.operations.set(operationId, { kind, attemptId: req.attemptId, amount, outcome });
    return { ...outcome };
  }
}
