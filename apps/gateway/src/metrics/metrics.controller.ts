import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MetricsService } from './metrics.service.js';

/**
 * Prometheus scrape endpoint. Unauthenticated, like /health: it holds counts by node, route and
 * outcome only (no ids, amounts or merchant data), and scrapers rarely carry bearer tokens. Keep
 * the gateway's port off the public internet or block /metrics at the proxy when that matters.
 */
@ApiTags('ops')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @ApiOperation({ summary: 'Prometheus metrics', description: 'Text exposition format 0.0.4.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The metrics.', schema: { type: 'string' } })
  @Get()
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.render();
    void reply.header('content-type', contentType).send(body);
  }
}
