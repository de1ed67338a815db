import type { Tx } from '../idempotency/idempotency.service.js';
import { newId } from '../common/ids.js';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types.js';

export interface OutboxEvent {
  id: string;
  type: string;
}

/**
 * Writes one delivery per (event, enabled endpoint of the merchant subscribed to its type), inside
 * the caller's transaction: the deliveries commit or roll back with the state change itself.
 */
export async function enqueueDeliveries(tx: Tx, merchantId: string, events: readonly OutboxEvent[], at: Date): Promise<void> {
  const deliverable = events.filter((event) => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(event.type));
  if (deliverable.length === 0) return;
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { merchantId, status: 'enabled', deletedAt: null, events: { hasSome: deliverable.map((event) => event.type) } },
    select: { id: true, events: true },
  });
  const deliveries = endpoints.flatMap((endpoint) =>
    deliverable
      .filter((event) => endpoint.events.includes(event.type))
      .map((event) => ({
        id: newId('whd'),
        endpointId: endpoint.id,
        eventId: event.id,
        merchantId,
        eventType: event.type,
        nextAttemptAt: at,
        createdAt: at,
        updatedAt: at,
      })),
  );
  if (deliveries.length > 0) await tx.webhookDelivery.createMany({ data: deliveries });
}
