import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { NodeDescriptor } from '#gateway-spi';
import type { Tree } from '#orchestration';
import { AdminAuthGuard } from '../auth/index.js';
import { TREE } from '../common/tokens.js';
import { ApiAdminAuth } from '../docs/api-docs.decorators.js';
import { NodeStatsService, SERIES_BUCKET_MS, type SeriesCounts, seriesBucketStarts } from '../metrics/index.js';
import { RoutingSeriesResponse } from './dto/routing-series.responses.js';

/**
 * How each router spread its traffic over the last hour, minute by minute: every child's share of
 * the router's attempts and its approval rate (the dashboard's routing charts). Every node has one
 * parent, so a child's own counts are the part of its router's traffic that went to it.
 */
@ApiTags('ops')
@ApiAdminAuth()
@Controller('v1/ops/routing')
@UseGuards(AdminAuthGuard)
export class OpsRoutingSeriesController {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    private readonly stats: NodeStatsService,
  ) {}

  @ApiOperation({
    summary: "Routers' traffic share and approval rate per child, last hour",
    description: 'One-minute buckets of this process, oldest first.',
  })
  @ApiOkResponse({ type: RoutingSeriesResponse })
  @Get('series')
  getSeries() {
    const now = Date.now();
    return {
      bucket_seconds: SERIES_BUCKET_MS / 1000,
      buckets: seriesBucketStarts(now),
      routers: routersOf(this.tree.root.describe()).map((router) => presentRouter(router, (id) => this.stats.seriesOf(id, now))),
    };
  }
}

/** The routers of a description, parents first. */
function routersOf(node: NodeDescriptor): NodeDescriptor[] {
  const below = (node.children ?? []).flatMap(routersOf);
  return node.kind === 'router' ? [node, ...below] : below;
}

function presentRouter(router: NodeDescriptor, seriesOf: (id: string) => SeriesCounts) {
  const children = (router.children ?? []).map((child) => ({ id: child.id, ...seriesOf(child.id) }));
  const totals = children.reduce<number[]>(
    (sum, child) => sum.map((count, bucket) => count + child.attempts[bucket]!),
    children[0]?.attempts.map(() => 0) ?? [],
  );
  return {
    id: router.id,
    strategy: router.strategy ?? null,
    children: children.map(({ id, attempts, approved }) => ({
      id,
      attempts,
      approved,
      share: attempts.map((count, bucket) => (totals[bucket] ? count / totals[bucket] : null)),
      approval_rate: attempts.map((count, bucket) => (count ? approved[bucket]! / count : null)),
    })),
  };
}
