import { ApiProperty } from '@nestjs/swagger';

export class LiveResponse {
  @ApiProperty({ enum: ['ok'] })
  status!: string;
}

export class ReadyChecks {
  @ApiProperty({ enum: ['up', 'down'] })
  database!: string;

  @ApiProperty({ enum: ['up', 'degraded', 'down'] })
  tree!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['up', 'down'] },
    description: 'Per currency the tree takes: up when at least one route to a healthy leaf exists.',
    example: { EUR: 'up', USD: 'down' },
  })
  currencies!: Record<string, string>;
}

export class ReadyResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status!: string;

  @ApiProperty({ type: () => ReadyChecks })
  checks!: ReadyChecks;

  @ApiProperty({ type: [String], required: false, description: 'Currencies without a healthy route (only when not ready).', example: ['USD'] })
  unroutable_currencies?: string[];
}
