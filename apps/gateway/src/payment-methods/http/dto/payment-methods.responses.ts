import { ApiProperty } from '@nestjs/swagger';

export class TokenCardView {
  @ApiProperty({ example: 'visa' })
  brand!: string;

  @ApiProperty({ example: '4242' })
  last4!: string;

  @ApiProperty({ type: 'integer', example: 12 })
  exp_month!: number;

  @ApiProperty({ type: 'integer', example: 2030 })
  exp_year!: number;
}

export class TokenResponse {
  @ApiProperty({ example: 'tok_…' })
  id!: string;

  @ApiProperty({ enum: ['token'] })
  object!: string;

  @ApiProperty({ type: () => TokenCardView })
  card!: TokenCardView;

  @ApiProperty({ description: 'Tokens are single use.' })
  used!: boolean;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', description: 'After this the token can no longer be used.' })
  expires_at!: string;
}

export class CustomerResponse {
  @ApiProperty({ example: 'cus_…' })
  id!: string;

  @ApiProperty({ enum: ['customer'] })
  object!: string;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true })
  email!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class PaymentMethodCardView extends TokenCardView {
  @ApiProperty({ description: 'The same card (of this merchant) has the same fingerprint.', example: 'Xt5EWLLDS7FJjR1c' })
  fingerprint!: string;
}

export class PaymentMethodResponse {
  @ApiProperty({ example: 'pm_…' })
  id!: string;

  @ApiProperty({ enum: ['payment_method'] })
  object!: string;

  @ApiProperty({ enum: ['card'] })
  type!: string;

  @ApiProperty({ type: () => PaymentMethodCardView })
  card!: PaymentMethodCardView;

  @ApiProperty({ type: String, nullable: true, description: 'The customer it is attached to; null once detached.', example: 'cus_…' })
  customer!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Set once detached: it can no longer be charged.' })
  detached_at!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export class PaymentMethodListResponse {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: () => [PaymentMethodResponse] })
  data!: PaymentMethodResponse[];

  @ApiProperty()
  has_more!: boolean;
}
