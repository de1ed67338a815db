import { notForThisNode, notificationsNotSupported, type NotificationAnswer, type NotificationReply, type ProviderNotification } from '#gateway-spi';
import Stripe from 'stripe';
import { factsOfEvent } from './stripe.events.js';

/** What Stripe expects back once the events are taken (any 2xx ends its retries). */
export const STRIPE_WEBHOOK_REPLY: NotificationReply = { status: 200, contentType: 'application/json', body: '{"received":true}' };

/**
 * A webhook Stripe posted for leaf `nodeId`: verified with the SDK (`Stripe-Signature`, HMAC-SHA256 of
 * `t.body` with the endpoint's `whsec_…` secret, 300 s tolerance), then turned into facts.
 * `secret` null: the leaf has no `webhook_secret_env`, so it takes no notifications.
 */
export function parseStripeNotification(nodeId: string, secret: string | null, notification: ProviderNotification): NotificationAnswer {
  if (notification.nodeId !== nodeId) return notForThisNode(nodeId, notification.nodeId);
  if (!secret) return notificationsNotSupported(nodeId);
  const header = notification.headers['stripe-signature'];
  if (!header) return { ok: false, reason: 'bad_signature', message: 'no Stripe-Signature header' };
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(notification.body, header, secret);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) return { ok: false, reason: 'bad_signature', message: 'the Stripe-Signature does not verify with the endpoint secret' };
    return { ok: false, reason: 'malformed', message: 'the signed body is not JSON' };
  }
  if (!isEvent(event)) return { ok: false, reason: 'malformed', message: 'the signed body is not a Stripe event' };
  try {
    return { ok: true, facts: factsOfEvent(event), reply: STRIPE_WEBHOOK_REPLY };
  } catch {
    return { ok: false, reason: 'malformed', message: `the ${event.type} event ${event.id} lacks fields its type has` };
  }
}

function isEvent(value: unknown): value is Stripe.Event {
  const event = value as { object?: unknown; id?: unknown; type?: unknown; data?: { object?: unknown } } | null;
  return typeof event === 'object' && event !== null && event.object === 'event' && typeof event.id === 'string' && typeof event.type === 'string' && typeof event.data?.object === 'object' && event.data.object !== null;
}
