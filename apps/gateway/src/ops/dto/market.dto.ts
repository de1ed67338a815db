import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEFAULT_MARKET, MARKET_HARD_DECLINE_CODES, MARKET_SOFT_DECLINE_CODES } from '#gateway-spi';

// The market's wire form for the OpenAPI document. The body itself is read by `parseMarket` of the
// gateway SPI, the reader of the tree config's `options.market`, so both accept exactly the same.

export class AmountBandBody {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Upper bound in minor units, inclusive; ascending. Only the last band may omit it.' })
  up_to?: number;

  @ApiProperty({ minimum: 0, maximum: 1 })
  approval_rate!: number;
}

export class LatencyBody {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 120_000 })
  median_ms!: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 120_000, description: 'At least median_ms.' })
  p99_ms!: number;
}

const RATE_TABLE = { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } } as const;

/** Every field optional; absent ones take their defaults. */
export class SetMarketBody {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: DEFAULT_MARKET.seed, description: 'Seeds every draw: the same attempt id always gets the same verdict.' })
  seed?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: DEFAULT_MARKET.approvalRate, description: 'Base approval rate.' })
  approval_rate?: number;

  @ApiPropertyOptional({ ...RATE_TABLE, description: 'Lower-case card brand → approval rate.', example: { visa: 0.92, amex: 0.8 } })
  by_brand?: Record<string, number>;

  @ApiPropertyOptional({ ...RATE_TABLE, description: 'Upper-case ISO 3166-1 alpha-2 customer country → approval rate.', example: { DE: 0.95 } })
  by_country?: Record<string, number>;

  @ApiPropertyOptional({ type: () => [AmountBandBody], description: 'The first band whose up_to the amount does not exceed applies.' })
  amount_bands?: AmountBandBody[];

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: DEFAULT_MARKET.softDeclineShare, description: 'Share of declines that are soft.' })
  soft_decline_share?: number;

  @ApiPropertyOptional({ enum: MARKET_SOFT_DECLINE_CODES, isArray: true, default: DEFAULT_MARKET.softCodes })
  soft_codes?: string[];

  @ApiPropertyOptional({ enum: MARKET_HARD_DECLINE_CODES, isArray: true, default: DEFAULT_MARKET.hardCodes })
  hard_codes?: string[];

  @ApiPropertyOptional({ type: () => LatencyBody, nullable: true, description: "Log-normal; replaces the leaf's latency_ms. null or absent: not set." })
  latency?: LatencyBody | null;
}
