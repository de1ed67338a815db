import { ApiProperty } from '@nestjs/swagger';
import { MARKET_HARD_DECLINE_CODES, MARKET_SOFT_DECLINE_CODES } from '#gateway-spi';
import { AmountBandBody, LatencyBody } from './market.dto.js';

const RATE_TABLE = { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } } as const;

/** A market with every field at its effective value. */
export class MarketView {
  @ApiProperty({ type: 'integer', minimum: 0 })
  seed!: number;

  @ApiProperty({ minimum: 0, maximum: 1 })
  approval_rate!: number;

  @ApiProperty(RATE_TABLE)
  by_brand!: Record<string, number>;

  @ApiProperty(RATE_TABLE)
  by_country!: Record<string, number>;

  @ApiProperty({ type: () => [AmountBandBody] })
  amount_bands!: AmountBandBody[];

  @ApiProperty({ minimum: 0, maximum: 1 })
  soft_decline_share!: number;

  @ApiProperty({ enum: MARKET_SOFT_DECLINE_CODES, isArray: true })
  soft_codes!: string[];

  @ApiProperty({ enum: MARKET_HARD_DECLINE_CODES, isArray: true })
  hard_codes!: string[];

  @ApiProperty({ type: () => LatencyBody, nullable: true, description: "null: the leaf's latency_ms applies." })
  latency!: LatencyBody | null;
}

export class MarketResponse {
  @ApiProperty({ example: 'sim-alpha' })
  node_id!: string;

  @ApiProperty({ type: () => MarketView, nullable: true, description: 'null: no market; cards without a test script are approved.' })
  market!: MarketView | null;
}
