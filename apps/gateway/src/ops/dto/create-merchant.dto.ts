import { IsDefined, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CreateMerchantDto {
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}
