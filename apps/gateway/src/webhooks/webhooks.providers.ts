import { SecretsReseal } from './secrets-reseal.js';
import { WebhookDeliveryStore } from './webhook-delivery.store.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

/** The webhooks feature, wired into AppModule (it needs PRISMA and GATEWAY_CONFIG from there). */
export const WEBHOOK_CONTROLLERS = [WebhookEndpointsController];
export const WEBHOOK_PROVIDERS = [WebhookEndpointsService, WebhookDeliveryStore, WebhookDispatcher, SecretsReseal];
