/** The webhooks feature's public file: what the app and the tests may use of it. */
export { WebhooksModule } from './webhooks.module.js';
export { SecretsReseal } from './secrets-reseal.js';
export { WebhookDeliveryStore } from './webhook-delivery.store.js';
export { WebhookDispatcher } from './webhook-dispatcher.js';
export { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';
export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-event-types.js';
export { verifyWebhook } from './webhook-signature.js';
