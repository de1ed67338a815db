import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * The query of `/elements/card`. Both are optional here so that a missing one gets the form's
 * error page, which tells the merchant what to add; unknown parameters are refused as everywhere.
 */
export class CardFormQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  key?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  origin?: string;
}
