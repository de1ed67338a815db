import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const CASCADE_OPT_IN =
  'Lets routers retry a decline their cascade table marks opt_in (by default do_not_honor) on another provider. Merchant-initiated payments are never retried after such a decline (scheme rules).';

/** An origin as browsers send it: scheme, host and optional port, nothing after. */
export const ORIGIN_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

export class CreateMerchantDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Acme' })
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({
    description:
      "Origins whose pages may create tokens with the merchant's publishable key (CORS) and embed the hosted card form. Default: none.",
    type: [String],
    maxItems: 20,
    example: ['https://shop.example'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(ORIGIN_PATTERN, { each: true, message: 'allowed_origins must hold origins like https://shop.example (scheme, host, optional port)' })
  allowed_origins?: string[];

  @ApiPropertyOptional({ description: CASCADE_OPT_IN, default: false })
  @IsOptional()
  @IsBoolean()
  cascade_opt_in?: boolean;
}

export class UpdateMerchantDto {
  @ApiProperty({ description: CASCADE_OPT_IN })
  @IsDefined()
  @IsBoolean()
  cascade_opt_in!: boolean;
}
