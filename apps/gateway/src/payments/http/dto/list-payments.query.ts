import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PageLimit } from '../../../common/page-limit.js';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../domain/payment-status.js';

export class ListPaymentsQuery {
  @PageLimit(10)
  limit?: number;

  @ApiPropertyOptional({ description: 'A payment id: the page starts after it (newest first).', example: 'pay_…' })
  @IsOptional()
  @IsString()
  starting_after?: string;

  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES)
  status?: PaymentStatus;
}
