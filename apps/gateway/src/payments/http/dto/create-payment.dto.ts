import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsDefined,
  IsInt,
  IsISO31661Alpha2,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIsoCurrency, IsMetadata, METADATA_LIMITS } from './validators.js';

/** Largest amount accepted, in minor units (fits a 32-bit integer column with room to spare). */
export const MAX_AMOUNT = 99_999_999;

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value);

export class CardDto {
  @ApiProperty({
    description: 'The full card number (12–19 digits, Luhn-checked). Never stored, logged or returned.',
    example: '4242424242424242',
    pattern: '^\\d{12,19}$',
    writeOnly: true,
  })
  @IsDefined()
  @IsString()
  @Matches(/^\d{12,19}$/, { message: 'number must be a string of 12 to 19 digits' })
  number!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 12, example: 12 })
  @IsDefined()
  @IsInt()
  @Min(1)
  @Max(12)
  exp_month!: number;

  @ApiProperty({ type: 'integer', minimum: 2000, maximum: 2100, example: 2030 })
  @IsDefined()
  @IsInt()
  @Min(2000)
  @Max(2100)
  exp_year!: number;

  @ApiPropertyOptional({ description: 'Never stored, logged or returned.', example: '123', pattern: '^\\d{3,4}$', writeOnly: true })
  @IsOptional()
  @IsString()
  @Matches(/^\d{3,4}$/, { message: 'cvc must be a string of 3 or 4 digits' })
  cvc?: string;
}

export class PaymentMethodDto {
  @ApiProperty({ enum: ['card'], example: 'card' })
  @IsDefined()
  @Equals('card', { message: 'type must be "card"' })
  type!: 'card';

  @ApiProperty({ type: () => CardDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CardDto)
  card!: CardDto;
}

export class CustomerDto {
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2, any case (returned upper case).', example: 'DE', minLength: 2, maxLength: 2 })
  @IsOptional()
  @Transform(upper)
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;
}

export class CreatePaymentDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_AMOUNT, description: 'In minor units of the currency.', example: 1000 })
  @IsDefined()
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount!: number;

  @ApiProperty({ description: 'ISO 4217, any case (returned upper case).', example: 'EUR', minLength: 3, maxLength: 3 })
  @IsDefined()
  @IsIsoCurrency()
  @Transform(upper)
  currency!: string;

  @ApiPropertyOptional({ description: 'Capture in the same call (default) or authorize only.', default: true })
  @IsOptional()
  @IsBoolean()
  capture?: boolean;

  @ApiProperty({ type: () => PaymentMethodDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PaymentMethodDto)
  payment_method!: PaymentMethodDto;

  @ApiPropertyOptional({ type: () => CustomerDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer?: CustomerDto;

  @ApiPropertyOptional({ maxLength: 1000, example: 'order 42' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: METADATA_LIMITS.valueLength },
    maxProperties: METADATA_LIMITS.keys,
    description: 'A flat map of strings, returned as given.',
    example: { order: '42' },
  })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({
    description:
      'Where the shopper is sent back once a provider has authenticated them (3-D Secure), with `payment_id` added to its query. ' +
      'Without it a payment whose issuer wants the shopper is declined `authentication_required`.',
    example: 'https://shop.example/checkout/done',
    maxLength: 2048,
  })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'return_url must be an http or https URL' })
  @MaxLength(2048)
  return_url?: string;
}
