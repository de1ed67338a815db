import { IsDefined, IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import type { FaultMode } from '#gateway-spi';

export const FAULT_MODES: readonly FaultMode[] = ['down', 'error', 'timeout', 'slow'];

export class SetFaultDto {
  @IsDefined()
  @IsIn(FAULT_MODES)
  mode!: FaultMode;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120_000)
  latency_ms?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  rate?: number;
}
