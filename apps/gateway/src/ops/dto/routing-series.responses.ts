import { ApiProperty } from '@nestjs/swagger';

// Response schemas of GET /v1/ops/routing/series (ops-routing-series.controller.ts builds the body).

const PER_BUCKET = 'One value per bucket, aligned with `buckets`.';

export class RoutingSeriesChildView {
  @ApiProperty({ example: 'eu' })
  id!: string;

  @ApiProperty({ type: 'array', items: { type: 'integer', minimum: 0 }, description: `Attempts through this child. ${PER_BUCKET}` })
  attempts!: number[];

  @ApiProperty({ type: 'array', items: { type: 'integer', minimum: 0 }, description: `Approved attempts through this child. ${PER_BUCKET}` })
  approved!: number[];

  @ApiProperty({
    type: 'array',
    items: { type: 'number', minimum: 0, maximum: 1, nullable: true },
    description: `This child's attempts / the attempts of all the router's children; null: the router had none in that bucket. ${PER_BUCKET}`,
  })
  share!: (number | null)[];

  @ApiProperty({
    type: 'array',
    items: { type: 'number', minimum: 0, maximum: 1, nullable: true },
    description: `approved / attempts of this child; null: it had no attempts in that bucket. ${PER_BUCKET}`,
  })
  approval_rate!: (number | null)[];
}

export class RoutingSeriesRouterView {
  @ApiProperty({ example: 'root' })
  id!: string;

  @ApiProperty({ type: 'string', nullable: true, example: 'rules' })
  strategy!: string | null;

  @ApiProperty({ type: () => [RoutingSeriesChildView] })
  children!: RoutingSeriesChildView[];
}

export class RoutingSeriesResponse {
  @ApiProperty({ type: 'integer', example: 60 })
  bucket_seconds!: number;

  @ApiProperty({
    type: 'array',
    items: { type: 'integer' },
    description: 'The start of each bucket (epoch milliseconds), oldest first; the last one holds now.',
  })
  buckets!: number[];

  @ApiProperty({
    type: () => [RoutingSeriesRouterView],
    description: 'Every router of the tree, parents before their children, routers of described remote subtrees included.',
  })
  routers!: RoutingSeriesRouterView[];
}
