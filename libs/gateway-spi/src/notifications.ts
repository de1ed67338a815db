/**
 * Provider notifications, the tree in reverse: the root hands a provider's signed message to the node
 * it was posted for; that leaf verifies it and turns it into facts; the root applies each fact once.
 */

import type { UnifiedCode } from './codes.js';

/** A provider's message as the root received it at `POST /v1/providers/{node_id}/notifications`. */
export interface ProviderNotification {
  /** The node the provider posted to: the leaf that verifies it. */
  nodeId: string;
  /** The body exactly as received, as UTF-8 text: signatures are computed over it. */
  body: string;
  /** The request's headers, names in lower case. */
  headers: Record<string, string>;
}

export const NOTIFICATION_FACT_KINDS = [
  'authorized',
  /** The authorization ended without money: declined, refused, or failed. */
  'authorization_failed',
  'captured',
  'capture_failed',
  'cancelled',
  'cancel_failed',
  'refunded',
  'refund_failed',
  'dispute_opened',
] as const;

export type NotificationFactKind = (typeof NOTIFICATION_FACT_KINDS)[number];

/** One thing the provider says happened, normalized. */
export interface NotificationFact {
  /**
   * The provider's id of what happened, unique per fact at this node: the root applies a fact once per
   * (node, event id). A message carrying several facts gives each its own id.
   */
  eventId: string;
  kind: NotificationFactKind;
  /** The attempt the fact is about: the attempt id the leaf gave its provider. Null when the provider did not echo it. */
  attemptId: string | null;
  /**
   * For a capture, cancel or refund: the operation id the root gave (the refund's id, or
   * `<attempt id>.capture` / `.void`), when the provider echoes it.
   */
  operationId: string | null;
  providerReference: string | null;
  /** Minor units, with `currency`, when the provider states an amount. */
  amount: number | null;
  currency: string | null;
  /** With `authorized`: true when the provider captured in the same step (an automatic capture). */
  captured?: boolean;
  /** Why, for failures and disputes, when the provider says. */
  code: UnifiedCode | null;
  message: string | null;
}

/** What the provider must get back once the facts are committed (e.g. a body of `[accepted]`). */
export interface NotificationReply {
  status: number;
  contentType: string;
  body: string;
}

export type NotificationRefusal =
  /** The signature does not verify: nothing is to be stored. */
  | 'bad_signature'
  /** Signed, or not signable at all, but not a message this node understands. */
  | 'malformed'
  /** The node takes no notifications. */
  | 'not_supported'
  /** No node with that id below the one asked. */
  | 'unknown_node'
  /** The node could not be reached (a remote subtree down): the provider should retry. */
  | 'unreachable';

export type NotificationAnswer =
  | { ok: true; facts: NotificationFact[]; reply: NotificationReply }
  | { ok: false; reason: NotificationRefusal; message: string };

/** The answer of a node that takes no notifications. */
export function notificationsNotSupported(nodeId: string): NotificationAnswer {
  return { ok: false, reason: 'not_supported', message: `${nodeId} takes no provider notifications` };
}

/** The answer of a leaf asked about another node's notification. */
export function notForThisNode(nodeId: string, asked: string): NotificationAnswer {
  return { ok: false, reason: 'unknown_node', message: `no node ${asked} here (asked ${nodeId})` };
}
