import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { NodeStatsService } from './node-stats.service.js';

/** The Prometheus metrics (`/metrics`) and the per-node attempt counters of this process. */
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, NodeStatsService],
  exports: [MetricsService, NodeStatsService],
})
export class MetricsModule {}
