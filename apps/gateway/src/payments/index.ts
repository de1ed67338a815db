/** The payments feature's public file: what other features may use of it. */
export { PaymentsModule } from './payments.module.js';
export { PAYMENT_STATUSES, type PaymentStatus, type StatusChange } from './domain/payment-status.js';
export { orphanAfterMs } from './domain/orphan-schedule.js';
export { CreatePaymentDto } from './http/dto/create-payment.dto.js';
export { PaymentResponse } from './http/dto/payment.response.js';
export { createPaymentCommand } from './http/payment-commands.js';
export { createdPaymentAnswer, presentEvent, presentPayment } from './http/payment.presenter.js';
export { PaymentEventLog } from './persistence/payment-event-log.js';
export type { PaymentWithAttempts } from './domain/payment.js';
export { type PaymentPage, PaymentsRepository } from './persistence/payments.repository.js';
export { RefundsRepository } from './persistence/refunds.repository.js';
export { type OutboxEvent, PAYMENT_EVENT_OUTBOX, type PaymentEventOutbox } from './ports/event-outbox.port.js';
export { CreatePayment } from './use-cases/create-payment.js';
export { SaveApprovedSetups } from './use-cases/save-approved-setups.js';
export {
  PENDING_RESOLVED,
  type PaymentResolution,
  resolvePendingPayment,
  type ResolvedBy,
  type UndecidedStatus,
} from './domain/payment-resolution.js';
export { operationCleared } from './persistence/payment-writes.js';
export { settleUndecided, type UndecidedPayment } from './persistence/settle-undecided.js';
