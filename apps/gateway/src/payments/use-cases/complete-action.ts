import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Tree } from '#orchestration';
import { combine, UnitOfWorkRunner } from '#persistence';
import { inRequestContext } from '../../common/node-context.js';
import { addTreeTime } from '../../common/server-timing.js';
import { Refusal } from '../../common/refusal.js';
import { GATEWAY_CONFIG, TREE } from '../../common/tokens.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { traceLogFields } from '../../logging/request-trace.js';
import type { CompleteActionCommand } from '../domain/commands.js';
import type { PaymentWithAttempts } from '../domain/payment.js';
import { resolvePendingPayment } from '../domain/payment-resolution.js';
import { PaymentWrites } from '../persistence/payment-writes.js';
import { PaymentsRepository } from '../persistence/payments.repository.js';
import { holdingAddress } from './holding-address.js';
import { SetupMethodOfPayment } from './setup-method.js';

/**
 * Finishes a payment that waited for its shopper: its holding leaf (never another: the attempt is
 * bound to it) completes what the provider asked for and says where the attempt stands; the payment
 * moves on once, whoever asks first (the shopper's return, the merchant's confirm, a notification,
 * reconciliation). Idempotent: a payment no longer waiting is answered as it is.
 */
@Injectable()
export class CompleteAction {
  private readonly logger = new Logger('CompleteAction');

  constructor(
    @Inject(TREE) private readonly tree: Tree,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly payments: PaymentsRepository,
    private readonly writes: PaymentWrites,
    private readonly runner: UnitOfWorkRunner,
    private readonly setupMethod: SetupMethodOfPayment,
  ) {}

  async execute(command: CompleteActionCommand): Promise<PaymentWithAttempts | Refusal> {
    const payment = await this.find(command);
    if (!payment) return Refusal.notFound('payment', command.paymentId);
    if (payment.status !== 'requires_action' || payment.holdingAttemptId === null) return payment;
    // Reconciliation is looking at it right now (its time may be up): it settles it, as the provider says.
    if (payment.checkLeaseUntil !== null && payment.checkLeaseUntil > new Date()) return payment;

    const treeStartedAt = performance.now();
    const status = await inRequestContext(command, this.config.requestTimeoutMs, (ctx) =>
      this.tree.root.completeAction({ ...holdingAddress(payment), returnData: command.returnData }, ctx),
    );
    addTreeTime(command.treeTime, treeStartedAt);
    const by = command.merchantId === undefined ? 'shopper' : 'merchant';
    const resolution = resolvePendingPayment(payment, status, 'requires_action', by);
    if (!resolution) {
      this.logger.log({ msg: `payment ${payment.id} still waits for its shopper (its leaf says ${status.state})`, ...traceLogFields(command) });
      return payment;
    }
    const holder = { id: payment.id, merchantId: payment.merchantId, holdingAttemptId: payment.holdingAttemptId };
    const settlement = this.writes.settleAction(holder, resolution, by, new Date());
    const saved = resolution.attempt.outcome === 'approved' ? await this.setupMethod.afterwards(payment, resolution.networkTransactionId, command) : undefined;
    const unit = saved ? combine(settlement, saved.unit) : settlement;
    const settled = await this.runner.commit(unit, `completion of payment ${payment.id}`);
    const now = (await this.payments.findWithAttempts(payment.id)) ?? payment;
    if (!settled && now.status !== resolution.to) {
      this.logger.error({ msg: `payment ${payment.id}: its leaf says ${resolution.to}, but it was settled ${now.status} meanwhile; look into it at the provider`, ...traceLogFields(command) });
    }
    return now;
  }

  private find({ merchantId, paymentId }: CompleteActionCommand): Promise<PaymentWithAttempts | null> {
    return merchantId === undefined ? this.payments.findWithAttempts(paymentId) : this.payments.findOwnedWithAttempts(merchantId, paymentId);
  }
}
