import { Inject, Injectable } from '@nestjs/common';
import type { OperationOutcome } from '#gateway-spi';
import type { Tree } from '#orchestration';
import type { Refund } from '#persistence';
import { newId } from '../../common/ids.js';
import { inRequestContext } from '../../common/node-context.js';
import { addTreeTime } from '../../common/server-timing.js';
import { Refusal } from '../../common/refusal.js';
import { GATEWAY_CONFIG, TREE } from '../../common/tokens.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import type { RefundPaymentCommand } from '../domain/commands.js';
import type { PaymentStatus } from '../domain/payment-status.js';
import { PaymentsRepository } from '../persistence/payments.repository.js';
import { type RefundableFacts, RefundsRepository } from '../persistence/refunds.repository.js';
import { holdingAddress } from './holding-address.js';

const REFUNDABLE: readonly PaymentStatus[] = ['captured', 'partially_refunded'];

const REFUND_STATUS: Record<OperationOutcome['outcome'], Refund['status']> = {
  succeeded: 'succeeded',
  failed: 'failed',
  // Accepted: the provider confirms it later, by notification.
  pending: 'pending',
  // The provider may have refunded: the refund stays pending for reconciliation.
  unknown: 'pending',
};

/**
 * Refunds part or all of what was captured. The refund is reserved (`pending`) under the payment's
 * row lock before the provider call, so concurrent refunds can never sum past the captured amount.
 * Whatever the provider answers, the refund is the answer (201): failed, or pending for
 * reconciliation when the provider did not confirm it.
 */
@Injectable()
export class RefundPayment {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly payments: PaymentsRepository,
    private readonly refunds: RefundsRepository,
  ) {}

  async execute(command: RefundPaymentCommand): Promise<Refund | Refusal> {
    const payment = await this.payments.findOwned(command.merchantId, command.paymentId);
    if (!payment) return Refusal.notFound('payment', command.paymentId);
    const createdAt = new Date();
    const reserved: Omit<Refund, 'amount'> = {
      id: newId('re'),
      paymentId: payment.id,
      merchantId: command.merchantId,
      currency: payment.currency,
      status: 'pending',
      reason: command.reason,
      providerReference: null,
      acceptedAt: null,
      nextCheckAt: null,
      checkCount: 0,
      checkLeaseUntil: null,
      createdAt,
      updatedAt: createdAt,
    };
    let amount = 0;
    const refused = await command.key.claim(
      reserved.id,
      this.refunds.reserve(reserved, (facts) => (amount = refundableAmount(facts, command.amount))),
    );
    if (refused) return refused;

    const treeStartedAt = performance.now();
    const outcome = await inRequestContext(command, this.config.requestTimeoutMs, (ctx) =>
      this.tree.root.refund(
        { ...holdingAddress(payment), operationId: reserved.id, amount, currency: payment.currency, reason: command.reason ?? undefined },
        ctx,
      ),
    );
    addTreeTime(command.treeTime, treeStartedAt);
    const updatedAt = new Date();
    const refund: Refund = {
      ...reserved,
      amount,
      status: REFUND_STATUS[outcome.outcome],
      providerReference: outcome.providerReference,
      // An unknown outcome is scheduled for the reconciler, which re-drives it with the same operation id.
      // Unknown: scheduled for the reconciler, which re-drives it with the same operation id. Accepted:
      // never re-sent (a provider past its idempotency window would refund again); its notification settles it.
      nextCheckAt: outcome.outcome === 'unknown' ? updatedAt : null,
      acceptedAt: outcome.outcome === 'pending' ? updatedAt : null,
      updatedAt,
    };
    await command.key.complete(this.refunds.recordOutcome(refund), refund);
    return refund;
  }
}

/** The amount to reserve: what was asked (default: all that remains), refused beyond what remains. */
function refundableAmount({ payment, reserved }: RefundableFacts, asked: number | undefined): number {
  if (!REFUNDABLE.includes(payment.status)) {
    throw Refusal.state('payment_not_refundable', `This payment is ${payment.status}; only a captured payment can be refunded.`);
  }
  const refundable = payment.amountCaptured - reserved;
  const amount = asked ?? refundable;
  if (amount <= 0 || amount > refundable) {
    throw Refusal.state(
      'refund_exceeds_captured',
      `Refunds of this payment may total at most ${payment.amountCaptured}; ${reserved} is already refunded or pending, ` +
        `so at most ${refundable} remains (asked for ${amount}).`,
    );
  }
  return amount;
}
