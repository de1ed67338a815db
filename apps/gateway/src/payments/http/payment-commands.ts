import type { TreeTime } from '../../common/server-timing.js';
import type { IdempotencyKey } from '../../idempotency/index.js';
import type { RequestTrace } from '../../logging/request-trace.js';
import type { CreatePaymentCommand } from '../domain/commands.js';
import type { PaymentWithAttempts } from '../domain/payment.js';
import type { CreatePaymentDto } from './dto/create-payment.dto.js';

/** The create-payment command of a validated request body. */
export function createPaymentCommand(
  merchant: { id: string; cascadeOptIn: boolean },
  dto: CreatePaymentDto,
  trace: RequestTrace,
  key: IdempotencyKey<PaymentWithAttempts>,
  treeTime: TreeTime,
): CreatePaymentCommand {
  const method = dto.payment_method;
  return {
    merchantId: merchant.id,
    cascadeOptIn: merchant.cascadeOptIn,
    traceId: trace.traceId,
    requestId: trace.requestId,
    treeTime,
    key,
    amount: dto.amount,
    currency: dto.currency,
    capture: dto.capture ?? true,
    source:
      'reference' in method
        ? { kind: 'reference', reference: method.reference }
        : { kind: 'card', card: { number: method.card.number, expMonth: method.card.exp_month, expYear: method.card.exp_year, cvc: method.card.cvc } },
    customerId: dto.customer?.id ?? null,
    setupFutureUsage: dto.setup_future_usage === 'off_session',
    offSession: dto.off_session ?? false,
    customerCountry: dto.customer?.country ?? null,
    description: dto.description ?? null,
    metadata: dto.metadata ?? {},
    returnUrl: dto.return_url ?? null,
  };
}
