import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetricsService } from './metrics.service.js';

/**
 * Times every HTTP answer by route template (`/v1/payments/:id`; `unmatched` for unknown URLs, so
 * probes of random paths cannot grow the label set). Register before `app.init()`.
 */
export function registerHttpMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(MetricsService);
  app.getHttpAdapter().getInstance().addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}
