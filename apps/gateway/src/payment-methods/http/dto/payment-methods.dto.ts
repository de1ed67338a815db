import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsEmail, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CardDto } from '../../../common/card.dto.js';

export class CreateTokenDto {
  @ApiProperty({ type: () => CardDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CardDto)
  card!: CardDto;
}

export class CreateCustomerDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'Jenny Rosen' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 320, example: 'jenny@example.com' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email?: string;
}

export class CreatePaymentMethodDto {
  @ApiProperty({ description: 'A token from POST /v1/tokens (`tok_…`); it is used up.', example: 'tok_…' })
  @IsDefined()
  @IsString()
  @Matches(/^tok_[A-Za-z0-9]{1,64}$/, { message: 'token must be a token id (tok_…)' })
  token!: string;

  @ApiPropertyOptional({ description: 'The customer (`cus_…`) to attach the method to.', example: 'cus_…' })
  @IsOptional()
  @IsString()
  @Matches(/^cus_[A-Za-z0-9]{1,64}$/, { message: 'customer must be a customer id (cus_…)' })
  customer?: string;
}
