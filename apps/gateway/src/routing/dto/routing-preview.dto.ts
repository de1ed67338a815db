import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Equals, IsDefined, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { CardDto } from '../../common/card.dto.js';
import { CreatePaymentDto } from '../../payments/index.js';

/** A payment's card as a preview needs it: nothing required; the number, if given, only yields the brand (no Luhn check). */
export class PreviewCardDto extends PartialType(CardDto) {}

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
export class RoutingPreviewDto extends OmitType(CreatePaymentDto, ['payment_method', 'setup_future_usage'] as const) {
  @ApiProperty({ type: () => PreviewPaymentMethodDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PreviewPaymentMethodDto)
  payment_method!: PreviewPaymentMethodDto;

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
