import { Global, Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/index.js';
import { PAYMENT_EVENT_OUTBOX } from '../payments/index.js';
import { SecretsReseal } from './secrets-reseal.js';
import { WebhookDeliveryStore } from './webhook-delivery.store.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhookOutbox } from './webhook-outbox.store.js';

/**
 * Webhooks: the merchant API for endpoints (`/v1/webhook_endpoints`), the outbox of payment events
 * and its dispatcher, and the re-seal of endpoint secrets at start.
 *
 * Global for its one export, the PAYMENT_EVENT_OUTBOX port: PaymentsModule injects it without
 * importing this module, so the dependency runs one way only (webhooks → payments).
 */
@Global()
@Module({
  imports: [MetricsModule],
  controllers: [WebhookEndpointsController],
  providers: [
    WebhookEndpointsRepository,
    WebhookEndpointsService,
    WebhookDeliveryStore,
    WebhookDispatcher,
    SecretsReseal,
    WebhookOutbox,
    { provide: PAYMENT_EVENT_OUTBOX, useExisting: WebhookOutbox },
  ],
  exports: [PAYMENT_EVENT_OUTBOX],
})
export class WebhooksModule {}
