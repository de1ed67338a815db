import { ApiProperty } from '@nestjs/swagger';

export class PreviewCandidateView {
  @ApiProperty({ example: 'root/eu/sim-alpha', description: 'Route path of the leaf.' })
  path!: string;

  @ApiProperty({ description: 'Whether the leaf quoted the payment.' })
  eligible!: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: "The leaf's fee in minor units; null when not eligible.", example: 18 })
  fee!: number | null;

  @ApiProperty({ example: 'rule currency∈[EUR,GBP] → eu; weighted 70/30 → sim-alpha', description: "Every router's decision, from the root down." })
  reason!: string;

  @ApiProperty({ type: 'string', enum: ['closed', 'open', 'half_open'], nullable: true, description: "The breaker the leaf's router keeps for it." })
  breaker!: string | null;
}

export class PreviewSkipView {
  @ApiProperty({ example: 'root/us' })
  path!: string;

  @ApiProperty({ example: 'us does not take JPY', description: 'Capabilities, breaker open, no quote, or not chosen by the strategy.' })
  reason!: string;
}

export class RoutingPreviewResponse {
  @ApiProperty({ enum: ['routing_preview'] })
  object!: string;

  @ApiProperty({ type: 'integer', example: 1000 })
  amount!: number;

  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'The payment the weighted split was pinned to, if any.' })
  payment_id!: string | null;

  @ApiProperty({ type: () => [PreviewCandidateView], description: 'The leaves a payment would be tried on, in order (the first takes it unless it fails).' })
  candidates!: PreviewCandidateView[];

  @ApiProperty({ type: () => [PreviewSkipView], description: 'Nodes left out, and why.' })
  skipped!: PreviewSkipView[];
}
