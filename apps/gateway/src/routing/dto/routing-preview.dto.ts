import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { Equals, IsBoolean, IsDefined, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CustomerDto, MAX_AMOUNT } from '../../payments/dto/create-payment.dto.js';
import { IsIsoCurrency, IsMetadata } from '../../payments/dto/validators.js';

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value);

/** A payment's card as a preview needs it: nothing required; the number, if given, only yields the brand. */
export class PreviewCardDto {
  @ApiPropertyOptional({ description: 'Optional: only its brand is used (no Luhn check). Never stored, logged or returned.', example: '4242424242424242', writeOnly: true })
  @IsOptional()
  @IsString()
  @Matches(/^\d{12,19}$/, { message: 'number must be a string of 12 to 19 digits' })
  number?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 12 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  exp_month?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 2000, maximum: 2100 })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  exp_year?: number;

  @ApiPropertyOptional({ writeOnly: true, description: 'Accepted and ignored.' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{3,4}$/, { message: 'cvc must be a string of 3 or 4 digits' })
  cvc?: string;
}

export class PreviewPaymentMethodDto {
  @ApiProperty({ enum: ['card'] })
  @IsDefined()
  @Equals('card', { message: 'type must be "card"' })
  type!: 'card';

  @ApiPropertyOptional({ type: () => PreviewCardDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PreviewCardDto)
  card?: PreviewCardDto;
}

/** The body of a payment (POST /v1/payments), card number optional, plus an optional payment to pin the split to. */
export class RoutingPreviewDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_AMOUNT, example: 1000 })
  @IsDefined()
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount!: number;

  @ApiProperty({ example: 'EUR', minLength: 3, maxLength: 3 })
  @IsDefined()
  @IsIsoCurrency()
  @Transform(upper)
  currency!: string;

  @ApiPropertyOptional({ description: 'Accepted for symmetry with a payment; routing does not depend on it.' })
  @IsOptional()
  @IsBoolean()
  capture?: boolean;

  @ApiProperty({ type: () => PreviewPaymentMethodDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PreviewPaymentMethodDto)
  payment_method!: PreviewPaymentMethodDto;

  @ApiPropertyOptional({ type: () => CustomerDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer?: CustomerDto;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({
    description:
      'An existing payment of yours: a weighted split then picks as it did for that payment (the split is by payment id). ' +
      'Without it, a weighted level lists its children by share.',
    example: 'pay_…',
  })
  @IsOptional()
  @IsString()
  @Matches(/^pay_[A-Za-z0-9]+$/, { message: 'payment_id must be a payment id (pay_…)' })
  payment_id?: string;
}
