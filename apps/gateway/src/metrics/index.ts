/** The metrics feature's public file. */
export { MetricsModule } from './metrics.module.js';
export { MetricsService, type WebhookDeliveryResult } from './metrics.service.js';
export { type NodeCounters, NodeStatsService } from './node-stats.service.js';
export type { RecentActivity } from './recent-window.js';
export { registerHttpMetrics } from './http-metrics.js';
