import { ApiProperty } from '@nestjs/swagger';
import { PAYMENT_STATUSES } from '../../domain/payment-status.js';

// Response schemas of the payments API for the OpenAPI document (payment.presenter.ts builds the
// bodies; test/e2e/openapi.e2e.spec.ts checks real answers against these schemas).

const ATTEMPT_OUTCOMES = ['approved', 'declined', 'failed', 'unknown'];
const CARD_BRANDS = ['visa', 'mastercard', 'amex', 'discover', 'jcb', 'diners', 'unionpay', 'unknown'];
const REFUND_STATUSES = ['pending', 'succeeded', 'failed'];

export class CardView {
  @ApiProperty({ enum: CARD_BRANDS, example: 'visa' })
  brand!: string;

  @ApiProperty({ description: 'The first six digits.', example: '424242' })
  bin!: string;

  @ApiProperty({ example: '4242' })
  last4!: string;

  @ApiProperty({ type: 'integer', example: 12 })
  exp_month!: number;

  @ApiProperty({ type: 'integer', example: 2030 })
  exp_year!: number;
}

export class PaymentMethodView {
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The saved payment method charged, or saved by this payment (setup_future_usage, once approved).',
    example: 'pm_…',
  })
  id!: string | null;

  @ApiProperty({ enum: ['card'] })
  type!: string;

  @ApiProperty({ type: () => CardView })
  card!: CardView;
}

export class CustomerView {
  @ApiProperty({ type: 'string', nullable: true, example: 'cus_…' })
  id!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'DE' })
  country!: string | null;
}

export class AttemptView {
  @ApiProperty({ example: 'att_…' })
  id!: string;

  @ApiProperty({ description: 'Node ids from the root to the leaf.', example: 'root/eu/sim-alpha' })
  path!: string;

  @ApiProperty({ enum: ATTEMPT_OUTCOMES })
  outcome!: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'Unified code of a declined or failed attempt.' })
  code!: string | null;

  @ApiProperty({ description: 'Every routing decision, from the top down.', example: 'rule currency∈[EUR,GBP] → eu; weighted 70/30 → sim-alpha' })
  reason!: string;

  @ApiProperty({ type: 'integer', example: 3 })
  latency_ms!: number;
}

export class RouteView {
  @ApiProperty({ type: 'string', nullable: true, description: 'The leaf that holds the payment.', example: 'root/eu/sim-alpha' })
  path!: string | null;

  @ApiProperty({ type: () => [AttemptView] })
  attempts!: AttemptView[];
}

export class NextActionView {
  @ApiProperty({ enum: ['redirect_to_url'] })
  type!: string;

  @ApiProperty({ example: 'https://provider.example/3ds/challenge/…' })
  url!: string;
}

export class PendingOperationView {
  @ApiProperty({ enum: ['capture', 'void'] })
  type!: string;

  @ApiProperty({ enum: ['pending'] })
  status!: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The capture amount (null for a void).' })
  amount!: number | null;

  @ApiProperty({ format: 'date-time' })
  accepted_at!: string;
}

export class PaymentResponse {
  @ApiProperty({ example: 'pay_…' })
  id!: string;

  @ApiProperty({ enum: ['payment'] })
  object!: string;

  @ApiProperty({ enum: PAYMENT_STATUSES })
  status!: string;

  @ApiProperty({ type: 'integer', example: 1000 })
  amount!: number;

  @ApiProperty({ type: 'integer' })
  amount_captured!: number;

  @ApiProperty({ type: 'integer' })
  amount_refunded!: number;

  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @ApiProperty()
  capture!: boolean;

  @ApiProperty({ type: () => PaymentMethodView })
  payment_method!: PaymentMethodView;

  @ApiProperty({ type: () => CustomerView })
  customer!: CustomerView;

  @ApiProperty({ type: 'string', nullable: true, enum: ['off_session'], description: 'Set when the payment saves its card.' })
  setup_future_usage!: string | null;

  @ApiProperty({ description: 'A merchant-initiated payment of a saved method, without the shopper.' })
  off_session!: boolean;

  @ApiProperty({ type: 'string', nullable: true })
  description!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: null })
  decline_code!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: null })
  failure_message!: string | null;

  @ApiProperty({
    type: () => NextActionView,
    nullable: true,
    description: 'Set while `requires_action`: send the shopper to `url`; they come back to `return_url`.',
  })
  next_action!: NextActionView | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Where the shopper returns after authenticating.' })
  return_url!: string | null;

  @ApiProperty({
    type: () => PendingOperationView,
    nullable: true,
    description: 'A capture or void the provider accepted and confirms later; the payment is `pending` until it does.',
  })
  pending_operation!: PendingOperationView | null;

  @ApiProperty({ type: () => RouteView })
  route!: RouteView;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { order: '42' } })
  metadata!: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export class PaymentListResponse {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: () => [PaymentResponse], description: 'Newest first.' })
  data!: PaymentResponse[];

  @ApiProperty()
  has_more!: boolean;
}

export class RefundResponse {
  @ApiProperty({ example: 're_…' })
  id!: string;

  @ApiProperty({ enum: ['refund'] })
  object!: string;

  @ApiProperty({ example: 'pay_…' })
  payment_id!: string;

  @ApiProperty({ type: 'integer', example: 200 })
  amount!: number;

  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @ApiProperty({ enum: REFUND_STATUSES, description: '`pending`: the provider did not confirm it yet.' })
  status!: string;

  @ApiProperty({ type: 'string', nullable: true })
  reason!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class PaymentEventResponse {
  @ApiProperty({ example: 'evt_…' })
  id!: string;

  @ApiProperty({ enum: ['event'] })
  object!: string;

  @ApiProperty({ example: 'payment.captured' })
  type!: string;

  @ApiProperty({ example: 'pay_…' })
  payment_id!: string;

  @ApiProperty({ enum: PAYMENT_STATUSES, nullable: true })
  previous_status!: string | null;

  @ApiProperty({ enum: PAYMENT_STATUSES })
  status!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Details of the change (route path, code, amount…).' })
  data!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class PaymentEventListResponse {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: () => [PaymentEventResponse], description: 'Every state change, in order.' })
  data!: PaymentEventResponse[];

  @ApiProperty()
  has_more!: boolean;
}
