import { Inject, Injectable } from '@nestjs/common';
import type { AttemptAddress, NodeContext, OperationOutcome } from '#gateway-spi';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { ApiError } from '../../errors/api-error.js';
import { IdempotencyService, type IdempotencyScope, type StoredResponse, type Tx } from '../../idempotency/idempotency.service.js';
import { requestContext } from '../../tree/node-context.js';
import { recordEvents } from '../payment-events.js';
import { lockPayment } from '../payment-lock.js';
import { presentPayment } from '../payment.presenter.js';
import { PaymentsRepository } from '../payments.repository.js';
import { holdingAddress, markOperation, markUnresolved, providerFailure } from './follow-up.js';

/** One way out of `authorized`: capture or void. */
export interface Settlement {
  operation: 'capture' | 'void';
  to: 'captured' | 'voided';
  amountCaptured?: number;
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
    private readonly payments: PaymentsRepository,
    private readonly idempotency: IdempotencyService,
  ) {}

  async execute(
    merchantId: string,
    paymentId: string,
    settlement: Settlement,
    scope: IdempotencyScope,
    traceId: string,
  ): Promise<StoredResponse> {
    const payment = await this.payments.findOwnedWithAttempts(merchantId, paymentId);
    const { operation, to } = settlement;
    return this.idempotency.execute(scope, paymentId, {
      claim: async (tx) => {
        const locked = await lockPayment(tx, paymentId);
        if (locked.status !== 'authorized') {
          throw ApiError.state(
            `payment_not_${operation === 'capture' ? 'capturable' : 'voidable'}`,
            `This payment is ${locked.status}; only an authorized payment can be ${to}.`,
          );
        }
        // An unanswered capture or void may be retried (same provider idempotency key), unless a
        // reconciler is asking the provider about it right now.
        const retriesUnresolved = locked.operationInFlight === operation && locked.operationUnresolved && !locked.checkLeased;
        if (locked.operationInFlight && !retriesUnresolved) {
          throw ApiError.state(
            'operation_in_flight',
            `A ${locked.operationInFlight} of this payment is in progress; retry when it has finished.`,
          );
        }
        await markOperation(tx, paymentId, operation);
      },
      perform: async () => {
        const address = holdingAddress(payment);
        const outcome = await settlement.call(
          { ...address, operationId: `${address.attemptId}.${operation}` },
          requestContext(traceId, this.config.requestTimeoutMs),
        );
        if (outcome.outcome !== 'succeeded') {
          const undo = outcome.outcome === 'unknown' ? (tx: Tx) => markUnresolved(tx, paymentId, new Date()) : (tx: Tx) => markOperation(tx, paymentId, null);
          return { kind: 'fail', error: providerFailure(operation, outcome), undo };
        }
        const updatedAt = new Date();
        const changes = {
          status: to,
          amountCaptured: settlement.amountCaptured ?? payment.amountCaptured,
          operationInFlight: null,
          operationStartedAt: null,
          updatedAt,
        };
        const settled = { ...payment, ...changes };
        return {
          kind: 'respond',
          status: 200,
          body: presentPayment(settled, payment.attempts),
          commit: async (tx) => {
            await tx.payment.update({ where: { id: paymentId }, data: changes });
            const data = settlement.amountCaptured === undefined ? {} : { amount: settlement.amountCaptured };
            await recordEvents(tx, settled, [{ from: 'authorized', to, data }], updatedAt);
          },
        };
      },
    });
  }
}
