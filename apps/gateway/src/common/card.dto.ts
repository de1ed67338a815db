import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** A card as merchants and the hosted form send it, to pay with or to tokenize. */
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
