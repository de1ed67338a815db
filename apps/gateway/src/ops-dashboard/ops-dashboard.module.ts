import { Module } from '@nestjs/common';
import { OpsDashboardController } from './ops-dashboard.controller.js';

/** The ops dashboard page (`/ops`); its data comes from the ops API. */
@Module({
  controllers: [OpsDashboardController],
})
export class OpsDashboardModule {}
