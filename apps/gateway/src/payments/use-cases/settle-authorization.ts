import { Inject, Injectable } from '@nestjs/common';
import type { AttemptAddress, NodeContext, OperationOutcome } from '#gateway-spi';
import { inRequestContext } from '../../common/node-context.js';
import { addTreeTime, type TreeTime } from '../../common/server-timing.js';
import { Refusal } from '../../common/refusal.js';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import type { IdempotencyKey } from '../../idempotency/index.js';
import type { RequestTrace } from '../../logging/request-trace.js';
import { providerRefusal } from '../domain/provider-refusal.js';
import type { LockedPayment } from '../persistence/payment-lock.js';
import { ACCEPTED_FIRST_CHECK_MS, PaymentWrites } from '../persistence/payment-writes.js';
import type { PaymentWithAttempts } from '../domain/payment.js';
import { holdingAddress } from './holding-address.js';

/** One way out of `authorized`: capture or void. */
export interface Settlement extends RequestTrace {
  /** The merchant's payment, as read before the operation. */
  payment: PaymentWithAttempts;
  /** Where the request adds up its time in the tree. */
  treeTime?: TreeTime;
  key: IdempotencyKey<PaymentWithAttempts>;
  operation: 'capture' | 'void';
  to: 'captured' | 'voided';
  amountCaptured?: number;
  /**
   * Earlier operations of this kind its provider accepted and then reported failed: a new one needs a
   * new provider idempotency key (the old one would replay the failed one).
   */
  failedBefore?: number;
  call(address: AttemptAddress & { operationId: string }, ctx: NodeContext): Promise<OperationOutcome>;
}

/**
 * Moves an authorized payment to captured or voided: claims the key and marks the operation under
 * the row lock, calls the holding leaf down its recorded path, then commits the new state.
 */
@Injectable()
export class SettleAuthorization {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly writes: PaymentWrites,
  ) {}

  async execute(settlement: Settlement): Promise<PaymentWithAttempts | Refusal> {
    const { payment: found, operation, to, key } = settlement;
    const paymentId = found.id;

    const refused = await key.claim(paymentId, this.writes.startOperation(paymentId, operation, (locked) => mayStart(locked, operation, to)));
    if (refused) return refused;

    const address = holdingAddress(found);
    const treeStartedAt = performance.now();
    const outcome = await inRequestContext(settlement, this.config.requestTimeoutMs, (ctx) =>
      settlement.call({ ...address, operationId: operationIdOf(address.attemptId, operation, settlement.failedBefore ?? 0) }, ctx),
    );
    addTreeTime(settlement.treeTime, treeStartedAt);
    if (outcome.outcome === 'pending') {
      const acceptedAt = new Date();
      const accepted: PaymentWithAttempts = {
        ...found,
        status: 'pending',
        operationInFlight: operation,
        operationAmount: settlement.amountCaptured ?? null,
        operationAcceptedAt: acceptedAt,
        nextCheckAt: new Date(acceptedAt.getTime() + ACCEPTED_FIRST_CHECK_MS),
        checkCount: 0,
        updatedAt: acceptedAt,
      };
      const data = { operation, ...(settlement.amountCaptured !== undefined && { amount: settlement.amountCaptured }), provider_reference: outcome.providerReference };
      await key.complete(this.writes.leaveOperationAccepted(accepted, { from: 'authorized', to: 'pending', type: `payment.${operation}_pending`, data }), accepted);
      return accepted;
    }
    if (outcome.outcome !== 'succeeded') {
      await key.release(outcome.outcome === 'unknown' ? this.writes.leaveOperationUnresolved(paymentId, new Date()) : this.writes.clearOperation(paymentId));
      return providerRefusal(operation, outcome);
    }
    const updatedAt = new Date();
    const settled: PaymentWithAttempts = {
      ...found,
      status: to,
      amountCaptured: settlement.amountCaptured ?? found.amountCaptured,
      operationInFlight: null,
      operationStartedAt: null,
      // As the claim left the row (startOperation), so the result is the row as committed.
      nextCheckAt: null,
      checkCount: 0,
      updatedAt,
    };
    const data = settlement.amountCaptured === undefined ? {} : { amount: settlement.amountCaptured };
    await key.complete(this.writes.recordSettled(settled, { from: 'authorized', to, data }), settled);
    return settled;
  }
}

/** `<attempt id>.capture`, then `<attempt id>.capture.2`, … after captures the provider reported failed. */
export function operationIdOf(attemptId: string, operation: Settlement['operation'], failedBefore: number): string {
  return failedBefore > 0 ? `${attemptId}.${operation}.${failedBefore + 1}` : `${attemptId}.${operation}`;
}

/**
 * Only an authorized payment with no other operation running may be captured or voided. An
 * unanswered capture or void may be retried (same provider idempotency key), unless a reconciler is
 * asking the provider about it right now.
 */
function mayStart(locked: LockedPayment, operation: Settlement['operation'], to: Settlement['to']): void {
  if (locked.status === 'pending' && locked.operationInFlight) {
    throw Refusal.state(
      'operation_in_flight',
      `A ${locked.operationInFlight} of this payment was accepted by its provider and awaits confirmation; no other capture or void may start meanwhile.`,
    );
  }
  if (locked.status !== 'authorized') {
    throw Refusal.state(
      `payment_not_${operation === 'capture' ? 'capturable' : 'voidable'}`,
      `This payment is ${locked.status}; only an authorized payment can be ${to}.`,
    );
  }
  const retriesUnresolved = locked.operationInFlight === operation && locked.operationUnresolved && !locked.checkLeased;
  if (locked.operationInFlight && !retriesUnresolved) {
    throw Refusal.state('operation_in_flight', `A ${locked.operationInFlight} of this payment is in progress; retry when it has finished.`);
  }
}
