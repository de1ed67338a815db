/**
 * The event types a webhook endpoint may subscribe to (API.md). `payment.created` and
 * `payment.cascaded` (a declined attempt retried elsewhere) are recorded in the event log but not
 * deliverable: both happen within the merchant's own synchronous request, whose answer shows them.
 */
export const WEBHOOK_EVENT_TYPES = [
  'payment.authorized',
  'payment.captured',
  'payment.declined',
  'payment.failed',
  'payment.voided',
  'payment.refunded',
  'payment.pending_resolved',
  /** The shopper must authenticate: the payment's `next_action` says where to send them. */
  'payment.requires_action',
  /** The provider accepted a capture or void and confirms it later (the payment is `pending`). */
  'payment.capture_pending',
  'payment.void_pending',
  /** The provider reported an accepted capture or void failed: the payment is `authorized` again. */
  'payment.capture_failed',
  'payment.void_failed',
  /** The provider reported a refund failed: its amount is refundable again. */
  'payment.refund_failed',
  'payment.dispute_opened',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
