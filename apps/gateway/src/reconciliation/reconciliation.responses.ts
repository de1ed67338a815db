import { ApiProperty } from '@nestjs/swagger';

export class SettledPaymentView {
  @ApiProperty({ example: 'pay_…' })
  payment_id!: string;

  @ApiProperty({ enum: ['pending', 'authorized', 'requires_action'], description: '`authorized`: an unanswered capture or void that reconciliation settled; `pending` also: one its provider had accepted; `requires_action`: a payment that waited for its shopper.' })
  from!: string;

  @ApiProperty({ enum: ['authorized', 'captured', 'voided', 'declined', 'failed'] })
  to!: string;
}

export class SettledRefundView {
  @ApiProperty({ example: 're_…' })
  refund_id!: string;

  @ApiProperty({ example: 'pay_…' })
  payment_id!: string;

  @ApiProperty({ enum: ['pending'] })
  from!: string;

  @ApiProperty({ enum: ['succeeded', 'failed'] })
  to!: string;
}

export class ReconciliationResponse {
  @ApiProperty({ enum: ['reconciliation'] })
  object!: string;

  @ApiProperty({ type: () => [SettledPaymentView], description: 'Pending payments, and unanswered captures or voids, this run settled.' })
  settled!: SettledPaymentView[];

  @ApiProperty({ type: 'integer', description: 'Payments still pending (their leaf could not tell yet).' })
  still_pending!: number;

  @ApiProperty({ type: () => [SettledRefundView], description: 'Pending refunds this run settled.' })
  refunds_settled!: SettledRefundView[];

  @ApiProperty({ type: 'integer' })
  refunds_still_pending!: number;

  @ApiProperty({ type: 'integer', description: 'Cards saved (setup_future_usage) of payments approved after their request, e.g. by this run.' })
  payment_methods_saved!: number;
}
