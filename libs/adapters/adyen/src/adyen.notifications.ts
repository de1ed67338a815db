/**
 * Adyen's standard notifications (webhooks, JSON): verified with the SDK's HMAC validator, item by
 * item, and turned into the unified facts. Pure: what the node knows comes in through `Known`.
 */
import adyen from '@adyen/api-library';
import { parseAttemptId, type NotificationFact, type NotificationFactKind, type NotificationReply } from '#gateway-spi';
import type { NotificationRequestItem } from '@adyen/api-library/lib/src/typings/notification/models.js';
import { refusalRow } from './adyen.codes.js';

/** What Adyen expects back once the items are stored: any 2xx accepts; `[accepted]` is the body its docs name. */
export const ADYEN_NOTIFICATION_REPLY: NotificationReply = { status: 200, contentType: 'text/plain', body: '[accepted]' };

export type VerifiedNotification =
  | { ok: true; items: NotificationRequestItem[] }
  | { ok: false; reason: 'malformed' | 'bad_signature'; message: string };

const validator = new adyen.hmacValidator();

/**
 * Parses `{live, notificationItems: [{NotificationRequestItem}]}` and verifies EVERY item's
 * `additionalData.hmacSignature` with the hex key: one item that fails (or has no signature) and
 * nothing of the message is used. The signature covers only pspReference, originalReference,
 * merchantAccountCode, merchantReference, amount (value, currency), eventCode and success (the SDK's
 * `hmacValidator` fields): `reason` and every other `additionalData` entry (`modification.action`
 * included) are NOT signed, so nothing here decides money from them alone.
 */
export function verifyNotification(body: string, hmacKey: string): VerifiedNotification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'malformed', message: 'not JSON: Adyen standard notifications are JSON' };
  }
  const items = (parsed as { notificationItems?: unknown } | null)?.notificationItems;
  if (!Array.isArray(items)) return { ok: false, reason: 'malformed', message: 'no notificationItems array' };
  const requestItems: NotificationRequestItem[] = [];
  for (const [index, wrapper] of items.entries()) {
    const item = (wrapper as { NotificationRequestItem?: unknown } | null)?.NotificationRequestItem as NotificationRequestItem | undefined;
    if (!item || typeof item !== 'object' || typeof item.pspReference !== 'string' || typeof item.eventCode !== 'string' || typeof item.success !== 'string' || typeof item.amount !== 'object' || item.amount === null) {
      return { ok: false, reason: 'malformed', message: `notificationItems[${index}] is not a NotificationRequestItem (pspReference, eventCode, success, amount)` };
    }
    if (!signatureHolds(item, hmacKey)) return { ok: false, reason: 'bad_signature', message: `notificationItems[${index}] (${item.eventCode} ${item.pspReference}): the HMAC signature does not verify` };
    requestItems.push(item);
  }
  return { ok: true, items: requestItems };
}

function signatureHolds(item: NotificationRequestItem, hmacKey: string): boolean {
  try {
    return validator.validateHMAC(item, hmacKey);
  } catch {
    // The SDK throws when the item carries no hmacSignature.
    return false;
  }
}

/** What the node knows about Adyen's payments, to fill what a notification does not say. */
export interface Known {
  /** The attempt id of the payment Adyen calls `pspReference`, when the journal has it. */
  attemptOf(pspReference: string): string | null;
  /** Whether the attempt captured at once (the journal knows), null when not known. */
  capturesAtOnce(attemptId: string): boolean | null;
  /** What this node sent under an operation id (`capture`, `void`, `refund`), null when the journal does not know it. */
  operationKind(attemptId: string | null, operationId: string): 'capture' | 'void' | 'refund' | null;
}

const MODIFICATION_SUFFIX = /\.(capture|void)$/;

/**
 * The attempt and operation ids a modification item names: `merchantReference` is the modification's
 * `reference` (the operation id this leaf sent), or the payment's own reference (the attempt id) for
 * one made without a reference.
 */
function modificationIds(reference: string, payment: string | null, known: Known): { attemptId: string | null; operationId: string | null } {
  if (parseAttemptId(reference)) return { attemptId: reference, operationId: null };
  const attemptId = MODIFICATION_SUFFIX.test(reference) ? reference.replace(MODIFICATION_SUFFIX, '') : payment ? known.attemptOf(payment) : null;
  return { attemptId, operationId: reference || null };
}

/**
 * The facts of one verified item (zero for event codes Canopy does not act on). The event id is
 * `<pspReference>:<eventCode>:<success>`: Adyen resends the same item until accepted, and one
 * pspReference can carry a failure and a later success. For modifications `merchantReference` is the
 * modification's `reference` (the operation id this leaf sent) and `originalReference` the payment's
 * pspReference; a modification made without one (e.g. in the Customer Area) carries the payment's own
 * reference (the attempt id) instead.
 */
export function factsFromItem(item: NotificationRequestItem, known: Known): NotificationFact[] {
  const success = item.success === 'true';
  const reference = item.merchantReference ?? '';
  const kind = factKind(item, success, () => cancelOrRefundAction(item, reference, known));
  if (!kind) return [];
  // Not covered by the HMAC signature: a message for people, never a decision.
  const reason = item.reason && item.reason !== 'null' ? item.reason : null;
  const fact: NotificationFact = {
    eventId: `${item.pspReference}:${item.eventCode}:${item.success}`,
    kind,
    attemptId: null,
    operationId: null,
    providerReference: null,
    amount: typeof item.amount?.value === 'number' ? item.amount.value : null,
    currency: item.amount?.currency ?? null,
    code: null,
    message: reason,
  };
  if (kind === 'authorized' || kind === 'authorization_failed') {
    fact.attemptId = reference || null;
    fact.providerReference = item.pspReference;
    if (kind === 'authorization_failed') fact.code = refusalRow(undefined, reason ?? undefined).code;
    const atOnce = kind === 'authorized' && fact.attemptId ? known.capturesAtOnce(fact.attemptId) : null;
    if (atOnce !== null) fact.captured = atOnce;
    return [fact];
  }
  const payment = item.originalReference ?? (kind === 'dispute_opened' ? item.pspReference : null);
  fact.providerReference = payment;
  if (kind === 'dispute_opened') {
    fact.attemptId = reference || (payment ? known.attemptOf(payment) : null);
  } else {
    Object.assign(fact, modificationIds(reference, payment, known));
  }
  if (kind.endsWith('_failed')) fact.code = 'processing_error';
  return [fact];
}

/**
 * Which of the two a CANCEL_OR_REFUND did. `additionalData["modification.action"]` says it but is not
 * signed; the signed `merchantReference` and the journal win when they know: an operation id this leaf
 * sent as a void (`<attemptId>.void`) or the journal's record of what was sent under it.
 */
function cancelOrRefundAction(item: NotificationRequestItem, reference: string, known: Known): 'cancel' | 'refund' {
  const { attemptId, operationId } = modificationIds(reference, item.originalReference ?? null, known);
  const sent = operationId ? known.operationKind(attemptId, operationId) : null;
  if (sent === 'void' || reference.endsWith('.void')) return 'cancel';
  if (sent === 'refund') return 'refund';
  return item.additionalData?.['modification.action'] === 'refund' ? 'refund' : 'cancel';
}

function factKind(item: NotificationRequestItem, success: boolean, cancelOrRefund: () => 'cancel' | 'refund'): NotificationFactKind | null {
  switch (item.eventCode as string) {
    case 'AUTHORISATION':
      return success ? 'authorized' : 'authorization_failed';
    case 'CAPTURE':
      return success ? 'captured' : 'capture_failed';
    case 'CAPTURE_FAILED':
      return 'capture_failed';
    case 'CANCELLATION':
    // What a cancel by the payment's reference (`/cancels`) reports.
    case 'TECHNICAL_CANCEL':
      return success ? 'cancelled' : 'cancel_failed';
    case 'CANCEL_OR_REFUND': {
      if (cancelOrRefund() === 'refund') return success ? 'refunded' : 'refund_failed';
      return success ? 'cancelled' : 'cancel_failed';
    }
    case 'REFUND':
      return success ? 'refunded' : 'refund_failed';
    case 'REFUND_FAILED':
      return 'refund_failed';
    case 'CHARGEBACK':
    case 'NOTIFICATION_OF_CHARGEBACK':
      return 'dispute_opened';
    default:
      return null;
  }
}
