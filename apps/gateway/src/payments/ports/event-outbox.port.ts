import type { StatementPart } from '#persistence';

/** A payment event as the outbox sees it: its id and type (rows of the part that inserted it). */
export interface OutboxEvent {
  id: string;
  type: string;
}

/**
 * Where payment events go besides the payment's own event log: the part that queues their
 * deliveries, written in the same statement or transaction as the state change (an outbox). The
 * webhooks feature provides it, so payments never import webhooks.
 */
export interface PaymentEventOutbox {
  /**
   * The part queuing deliveries of the events the part `eventsPart` inserts (its rows: `id`,
   * `type`), or undefined when none of `events` is deliverable.
   */
  deliveries(eventsPart: string, merchantId: string, events: readonly OutboxEvent[], at: Date): StatementPart | undefined;
}

export const PAYMENT_EVENT_OUTBOX = Symbol('PAYMENT_EVENT_OUTBOX');
