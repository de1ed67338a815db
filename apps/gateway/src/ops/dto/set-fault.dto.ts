import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import type { FaultMode } from '#gateway-spi';

export const FAULT_MODES: readonly FaultMode[] = ['down', 'error', 'timeout', 'slow'];

export class SetFaultDto {
  @ApiProperty({
    enum: FAULT_MODES,
    description:
      'down: refused before anything is charged; error: processing_error, nothing charged; ' +
      'timeout: charges, but no reply arrives in time; slow: answers correctly after latency_ms.',
  })
  @IsDefined()
  @IsIn(FAULT_MODES)
  mode!: FaultMode;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 120_000, description: 'Delay of the slow mode.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120_000)
  latency_ms?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 1, description: 'Share of calls affected.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  rate?: number;
}
