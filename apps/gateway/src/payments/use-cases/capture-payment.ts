import { Inject, Injectable } from '@nestjs/common';
import type { Tree } from '#orchestration';
import { TREE } from '../../common/tokens.js';
import { ApiError } from '../../errors/api-error.js';
import type { IdempotencyScope, StoredResponse } from '../../idempotency/idempotency.service.js';
import type { CapturePaymentDto } from '../dto/capture-payment.dto.js';
import { PaymentsRepository } from '../payments.repository.js';
import { SettleAuthorization } from './settle-authorization.js';

/** Captures an authorized payment once, fully or partially; the rest of the authorization is released. */
@Injectable()
export class CapturePayment {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    private readonly payments: PaymentsRepository,
    private readonly settle: SettleAuthorization,
  ) {}

  async execute(merchantId: string, paymentId: string, dto: CapturePaymentDto, scope: IdempotencyScope, traceId: string): Promise<StoredResponse> {
    const { amount: authorized, currency } = await this.payments.findOwned(merchantId, paymentId);
    const amount = dto.amount ?? authorized;
    if (amount > authorized) {
      throw ApiError.invalid('amount_too_large', `The capture amount (${amount}) exceeds the authorized amount (${authorized}).`, 'amount');
    }
    return this.settle.execute(
      merchantId,
      paymentId,
      {
        operation: 'capture',
        to: 'captured',
        amountCaptured: amount,
        call: (address, ctx) => this.tree.root.capture({ ...address, amount, currency }, ctx),
      },
      scope,
      traceId,
    );
  }
}
