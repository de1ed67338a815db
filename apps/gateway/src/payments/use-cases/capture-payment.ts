import { Inject, Injectable } from '@nestjs/common';
import type { Tree } from '#orchestration';
import { Refusal } from '../../common/refusal.js';
import { TREE } from '../../common/tokens.js';
import type { CapturePaymentCommand } from '../domain/commands.js';
import type { PaymentWithAttempts } from '../domain/payment.js';
import { PaymentsRepository } from '../persistence/payments.repository.js';
import { SettleAuthorization } from './settle-authorization.js';

/** Captures an authorized payment once, fully or partially; the rest of the authorization is released. */
@Injectable()
export class CapturePayment {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    private readonly payments: PaymentsRepository,
    private readonly settle: SettleAuthorization,
  ) {}

  async execute(command: CapturePaymentCommand): Promise<PaymentWithAttempts | Refusal> {
    const payment = await this.payments.findOwnedWithAttempts(command.merchantId, command.paymentId);
    if (!payment) return Refusal.notFound('payment', command.paymentId);
    const { amount: authorized, currency } = payment;
    const amount = command.amount ?? authorized;
    if (amount > authorized) {
      return Refusal.invalid('amount_too_large', `The capture amount (${amount}) exceeds the authorized amount (${authorized}).`, 'amount');
    }
    return this.settle.execute({
      payment,
      traceId: command.traceId,
      requestId: command.requestId,
      treeTime: command.treeTime,
      key: command.key,
      operation: 'capture',
      failedBefore: await this.payments.countEvents(payment.id, 'payment.capture_failed'),
      to: 'captured',
      amountCaptured: amount,
      call: (address, ctx) => this.tree.root.capture({ ...address, amount, currency }, ctx),
    });
  }
}
