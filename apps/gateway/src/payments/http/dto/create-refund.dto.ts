import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_AMOUNT } from './create-payment.dto.js';

export class CreateRefundDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_AMOUNT, description: 'Defaults to what is left to refund.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount?: number;

  @ApiPropertyOptional({ maxLength: 500, example: 'requested_by_customer' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
