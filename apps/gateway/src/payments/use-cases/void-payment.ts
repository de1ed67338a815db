import { Inject, Injectable } from '@nestjs/common';
import type { Tree } from '#orchestration';
import { Refusal } from '../../common/refusal.js';
import { TREE } from '../../common/tokens.js';
import type { VoidPaymentCommand } from '../domain/commands.js';
import type { PaymentWithAttempts } from '../domain/payment.js';
import { PaymentsRepository } from '../persistence/payments.repository.js';
import { SettleAuthorization } from './settle-authorization.js';

/** Releases an authorization that was never captured. */
@Injectable()
export class VoidPayment {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    private readonly payments: PaymentsRepository,
    private readonly settle: SettleAuthorization,
  ) {}

  async execute(command: VoidPaymentCommand): Promise<PaymentWithAttempts | Refusal> {
    const payment = await this.payments.findOwnedWithAttempts(command.merchantId, command.paymentId);
    if (!payment) return Refusal.notFound('payment', command.paymentId);
    return this.settle.execute({
      payment,
      traceId: command.traceId,
      requestId: command.requestId,
      treeTime: command.treeTime,
      key: command.key,
      operation: 'void',
      failedBefore: await this.payments.countEvents(payment.id, 'payment.void_failed'),
      to: 'voided',
      call: (address, ctx) => this.tree.root.void(address, ctx),
    });
  }
}
