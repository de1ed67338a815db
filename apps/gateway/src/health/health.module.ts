import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';

/** Liveness and readiness (`/health/live`, `/health/ready`): the database, the tree and a route per currency. */
@Module({
  controllers: [HealthController],
})
export class HealthModule {}
