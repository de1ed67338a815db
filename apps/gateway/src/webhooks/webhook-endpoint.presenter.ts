import type { WebhookEndpoint } from '#persistence';

/** The webhook endpoint object; the secret only in the creation answer. */
export function presentWebhookEndpoint(endpoint: WebhookEndpoint, options: { withSecret?: boolean } = {}) {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint',
    url: endpoint.url,
    events: endpoint.events,
    status: endpoint.status,
    disabled_reason: endpoint.disabledReason,
    created_at: endpoint.createdAt.toISOString(),
    ...(options.withSecret ? { secret: endpoint.secret } : {}),
  };
}
