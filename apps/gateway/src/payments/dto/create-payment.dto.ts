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
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIsoCurrency, IsMetadata } from './validators.js';

/** Largest amount accepted, in minor units (fits a 32-bit integer column with room to spare). */
export const MAX_AMOUNT = 99_999_999;

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value);

export class CardDto {
  @IsDefined()
  @IsString()
  @Matches(/^\d{12,19}$/, { message: 'number must be a string of 12 to 19 digits' })
  number!: string;

  @IsDefined()
  @IsInt()
  @Min(1)
  @Max(12)
  exp_month!: number;

  @IsDefined()
  @IsInt()
  @Min(2000)
  @Max(2100)
  exp_year!: number;

  @IsOptional()
  @IsString()
  @Matches(/^\d{3,4}$/, { message: 'cvc must be a string of 3 or 4 digits' })
  cvc?: string;
}

export class PaymentMethodDto {
  @IsDefined()
  @Equals('card', { message: 'type must be "card"' })
  type!: 'card';

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CardDto)
  card!: CardDto;
}

export class CustomerDto {
  @IsOptional()
  @Transform(upper)
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;
}

export class CreatePaymentDto {
  @IsDefined()
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  amount!: number;

  @IsDefined()
  @IsIsoCurrency()
  @Transform(upper)
  currency!: string;

  @IsOptional()
  @IsBoolean()
  capture?: boolean;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PaymentMethodDto)
  payment_method!: PaymentMethodDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer?: CustomerDto;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;

  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;
}
