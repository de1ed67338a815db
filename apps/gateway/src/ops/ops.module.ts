import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/index.js';
import { PaymentsModule } from '../payments/index.js';
import { CreateMerchant } from './create-merchant.js';
import { OpsMarketController } from './ops-market.controller.js';
import { OpsPaymentsController } from './ops-payments.controller.js';
import { OpsRoutingSeriesController } from './ops-routing-series.controller.js';
import { OpsController } from './ops.controller.js';

/**
 * The ops API (admin token): merchants, the tree with its faults and counters, and the feed of
 * recent payments the dashboard polls.
 */
@Module({
  imports: [PaymentsModule, MetricsModule],
  controllers: [OpsController, OpsPaymentsController, OpsMarketController, OpsRoutingSeriesController],
  providers: [CreateMerchant],
})
export class OpsModule {}
