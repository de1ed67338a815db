import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/index.js';
import { MetricsModule } from '../metrics/index.js';
import { PaymentMethodsModule } from '../payment-methods/index.js';
import { VaultModule } from '../vault/index.js';
import { PaymentsController } from './http/payments.controller.js';
import { RefundsController } from './http/refunds.controller.js';
import { PaymentGauges } from './payment-gauges.js';
import { PaymentEventLog } from './persistence/payment-event-log.js';
import { PaymentWrites } from './persistence/payment-writes.js';
import { PaymentsRepository } from './persistence/payments.repository.js';
import { RefundsRepository } from './persistence/refunds.repository.js';
import { ShopperReturnController } from './http/shopper-return.controller.js';
import { CapturePayment } from './use-cases/capture-payment.js';
import { CompleteAction } from './use-cases/complete-action.js';
import { PlanCharge } from './use-cases/charge-plan.js';
import { SaveApprovedSetups } from './use-cases/save-approved-setups.js';
import { SetupMethodOfPayment } from './use-cases/setup-method.js';
import { CreatePayment } from './use-cases/create-payment.js';
import { RefundPayment } from './use-cases/refund-payment.js';
import { SettleAuthorization } from './use-cases/settle-authorization.js';
import { VoidPayment } from './use-cases/void-payment.js';

/**
 * Payments and their refunds: the merchant API (`/v1/payments`, `/v1/refunds`), the use cases
 * that move money through the tree, and the payment's tables. Its events reach the outbox through
 * the PAYMENT_EVENT_OUTBOX port, which the webhooks feature provides.
 */
@Module({
  imports: [IdempotencyModule, MetricsModule, PaymentMethodsModule, VaultModule],
  controllers: [PaymentsController, RefundsController, ShopperReturnController],
  providers: [
    PaymentsRepository,
    RefundsRepository,
    PaymentWrites,
    PaymentEventLog,
    PaymentGauges,
    CreatePayment,
    PlanCharge,
    SetupMethodOfPayment,
    SaveApprovedSetups,
    SettleAuthorization,
    CapturePayment,
    VoidPayment,
    RefundPayment,
    CompleteAction,
  ],
  exports: [PaymentsRepository, RefundsRepository, PaymentEventLog, PaymentWrites, SaveApprovedSetups],
})
export class PaymentsModule {}
