/**
 * The event types a webhook endpoint may subscribe to (API.md). `payment.created` is recorded in the
 * event log but not deliverable: a payment's creation is the merchant's own synchronous request.
 */
export const WEBHOOK_EVENT_TYPES = [
  'payment.authorized',
  'payment.captured',
  'payment.declined',
  'payment.failed',
  'payment.voided',
  'payment.refunded',
  'payment.pending_resolved',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
