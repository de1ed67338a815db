import { MetricsController } from '../metrics/metrics.controller.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { OpsDashboardController } from '../ops-dashboard/ops-dashboard.controller.js';
import { GracefulShutdown } from '../shutdown/graceful-shutdown.js';
import { OpsPaymentsController } from './ops-payments.controller.js';

/** Metrics, the dashboard page and its recent-payments feed, graceful shutdown; wired into AppModule. */
export const OPS_EXPERIENCE_CONTROLLERS = [MetricsController, OpsPaymentsController, OpsDashboardController];
export const OPS_EXPERIENCE_PROVIDERS = [MetricsService, GracefulShutdown];
