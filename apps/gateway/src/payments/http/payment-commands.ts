import type { IdempotencyKey } from '../../idempotency/index.js';
import type { CreatePaymentCommand } from '../domain/commands.js';
import type { PaymentWithAttempts } from '../domain/payment.js';
import type { CreatePaymentDto } from './dto/create-payment.dto.js';

/** The create-payment command of a validated request body. */
export function createPaymentCommand(
  merchantId: string,
  dto: CreatePaymentDto,
  traceId: string,
  key: IdempotencyKey<PaymentWithAttempts>,
): CreatePaymentCommand {
  const { card } = dto.payment_method;
  return {
    merchantId,
    traceId,
    key,
    amount: dto.amount,
    currency: dto.currency,
    capture: dto.capture ?? true,
    card: { number: card.number, expMonth: card.exp_month, expYear: card.exp_year, cvc: card.cvc },
    customerCountry: dto.customer?.country ?? null,
    description: dto.description ?? null,
    metadata: dto.metadata ?? {},
    returnUrl: dto.return_url ?? null,
  };
}
