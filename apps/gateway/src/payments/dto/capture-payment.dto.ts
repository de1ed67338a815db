import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_AMOUNT } from './create-payment.dto.js';

export class CapturePaymentDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount?: number;
}
