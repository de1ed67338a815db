import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/index.js';
import { PreviewRoute } from './preview-route.js';
import { RoutingController } from './routing.controller.js';

/** The routing preview (`POST /v1/routing/preview`): where a payment would go, moving no money. */
@Module({
  imports: [PaymentsModule],
  controllers: [RoutingController],
  providers: [PreviewRoute],
})
export class RoutingModule {}
