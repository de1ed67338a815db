import { randomBytes } from 'node:crypto';
import { type CaptureRequest, type OperationOutcome, type RefundRequest, type StatusOutcome, statusWithoutMoney, type VoidRequest } from '#gateway-spi';
import { captureProblem, refundProblem, voidProblem, type ChargeRecord, type OperationKind } from './ledger-rules.js';

interface OperationRecord {
  kind: OperationKind;
  attemptId: string;
  amount: number;
  outcome: OperationOutcome;
}

export type NewCharge = Omit<ChargeRecord, 'providerReference' | 'amountRefunded' | 'voided'>;

const randomReference = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

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

  constructor(private readonly newReference: (prefix: string) => string = randomReference) {}

  findCharge(attemptId: string): ChargeRecord | undefined {
    const charge = this.charges.get(attemptId);
    return charge ? { ...charge } : undefined;
  }

  recordCharge(charge: NewCharge): ChargeRecord {
    const record: ChargeRecord = { ...charge, providerReference: this.newReference('simch'), amountRefunded: 0, voided: false };
    this.charges.set(record.attemptId, record);
    return { ...record };
  }

  capture(req: CaptureRequest): OperationOutcome {
    return this.operate(req.operationId, 'capture', req, req.amount, (c) => captureProblem(c, req), (charge) => {
      charge.amountCaptured = req.amount;
      return succeeded(charge.providerReference);
    });
  }

  void(req: VoidRequest): OperationOutcome {
    return this.operate(req.operationId, 'void', req, 0, (c) => voidProblem(c, req), (charge) => {
      charge.voided = true;
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
    return {
      state: charge.state,
      code: charge.code,
      providerReference: charge.providerReference,
      amountAuthorized: charge.state === 'approved' ? charge.amount : 0,
      amountCaptured: charge.amountCaptured,
      amountRefunded: charge.amountRefunded,
      voided: charge.voided,
    };
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
