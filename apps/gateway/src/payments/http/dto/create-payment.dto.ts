import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
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
import { CardDto } from '../../../common/card.dto.js';
import { STANDS_FOR_ITS_FIELD } from '../../../errors/validation-errors.js';
import { IsIsoCurrency, IsMetadata, METADATA_LIMITS } from './validators.js';

/** Largest amount accepted, in minor units (fits a 32-bit integer column with room to spare). */
export const MAX_AMOUNT = 99_999_999;

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value);

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

/** `payment_method` given as a string: a token (`tok_…`) or a saved payment method (`pm_…`). */
export class PaymentMethodReferenceDto {
  static readonly [STANDS_FOR_ITS_FIELD] = true;

  @IsString()
  @Matches(/^(tok|pm)_[A-Za-z0-9]{1,64}$/, { message: 'payment_method must be a card object, a token (tok_…) or a saved payment method (pm_…)' })
  reference!: string;
}

/** `customer` given as a string: the merchant's customer (`cus_…`). */
const CUSTOMER_ID = /^cus_[A-Za-z0-9]{1,64}$/;

export class CustomerDto {
  @ApiPropertyOptional({ description: 'The customer (`cus_…`) the payment is for; `customer: "cus_…"` is the same.', example: 'cus_…' })
  @IsOptional()
  @IsString()
  @Matches(CUSTOMER_ID, { message: 'id must be a customer id (cus_…)' })
  id?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2, any case (returned upper case).', example: 'DE', minLength: 2, maxLength: 2 })
  @IsOptional()
  @Transform(upper)
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;
}

/** `customer` given as a string: the customer's id. */
export class CustomerIdDto extends CustomerDto {
  static readonly [STANDS_FOR_ITS_FIELD] = true;
}

@ApiExtraModels(PaymentMethodDto, CustomerDto)
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

  @ApiProperty({
    description:
      'The card (secret key only, for merchants in PCI scope), a single-use token from POST /v1/tokens (`tok_…`), ' +
      'or a saved payment method (`pm_…`).',
    oneOf: [{ $ref: getSchemaPath(PaymentMethodDto) }, { type: 'string', pattern: '^(tok|pm)_[A-Za-z0-9]+$', example: 'tok_…' }],
  })
  @IsDefined()
  @Type(() => PaymentMethodDto)
  @Transform(({ value }) => (typeof value === 'string' ? Object.assign(new PaymentMethodReferenceDto(), { reference: value }) : value))
  @IsObject({ message: 'payment_method must be a card object, a token (tok_…) or a saved payment method (pm_…)' })
  @ValidateNested()
  payment_method!: PaymentMethodDto | PaymentMethodReferenceDto;

  @ApiPropertyOptional({
    description: 'The customer: `"cus_…"`, or an object with the customer `id` and/or the shopper\'s `country`.',
    oneOf: [{ $ref: getSchemaPath(CustomerDto) }, { type: 'string', pattern: '^cus_[A-Za-z0-9]+$', example: 'cus_…' }],
  })
  @IsOptional()
  @Type(() => CustomerDto)
  @Transform(({ value }) => (typeof value === 'string' ? Object.assign(new CustomerIdDto(), { id: value }) : value))
  @IsObject({ message: 'customer must be a customer id (cus_…) or an object' })
  @ValidateNested()
  customer?: CustomerDto | CustomerIdDto;

  @ApiPropertyOptional({
    enum: ['off_session'],
    description:
      'Saves the card to `customer` as a payment method (`pm_…`, in `payment_method.id` of the answer) once the payment is ' +
      'approved, for later payments without the shopper (`off_session: true`). The payment is sent as the first of a stored credential.',
  })
  @IsOptional()
  @Equals('off_session', { message: 'setup_future_usage must be "off_session"' })
  setup_future_usage?: 'off_session';

  @ApiPropertyOptional({
    description:
      'A merchant-initiated payment of a saved payment method (`pm_…`) without the shopper: sent with the network transaction ' +
      'id of the payment that saved it, through whichever provider the tree picks; never asks for the shopper.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  off_session?: boolean;

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
