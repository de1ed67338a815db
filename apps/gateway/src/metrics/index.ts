/** The metrics feature's public file. */
export { MetricsModule } from './metrics.module.js';
export { MetricsService, type WebhookDeliveryResult } from './metrics.service.js';
export { type NodeCounters, NodeStatsService } from './node-stats.service.js';
export type { RecentActivity } from './recent-window.js';
export { SERIES_BUCKET_MS, seriesBucketStarts, type SeriesCounts } from './minute-series.js';
export { registerHttpMetrics } from './http-metrics.js';
