/**
 * The fake's side of Adyen's standard notifications (test code only): items written as Adyen writes
 * them, signed with the SDK's own HMAC calculation, and delivered to a registered webhook URL with
 * retries until it answers `[accepted]`, as Adyen's retry queue does.
 */
import adyen from '@adyen/api-library';
import type { NotificationRequestItem } from '@adyen/api-library/lib/src/typings/notification/models.js';

const { notification } = adyen.Types;
const calculator = new adyen.hmacValidator();

/** What one item says, before it is signed. */
export interface ItemFields {
  eventCode: string;
  success: boolean;
  /** The pspReference of the event: the payment's for AUTHORISATION and disputes, the modification's otherwise. */
  pspReference: string;
  /** For modifications and disputes: the payment's pspReference. */
  originalReference?: string;
  /** The payment's reference (AUTHORISATION), or the modification's own `reference` when it had one. */
  merchantReference: string;
  merchantAccount: string;
  amount: { value: number; currency: string };
  reason?: string;
  additionalData?: Record<string, string>;
}

/** One item, signed with the hex HMAC key over Adyen's eight fields (pspReference … success). */
export function signedItem(fields: ItemFields, hmacKey: string): NotificationRequestItem {
  const item: NotificationRequestItem = {
    amount: { value: fields.amount.value, currency: fields.amount.currency },
    eventCode: fields.eventCode as NotificationRequestItem.EventCodeEnum,
    eventDate: new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    merchantAccountCode: fields.merchantAccount,
    merchantReference: fields.merchantReference,
    pspReference: fields.pspReference,
    ...(fields.originalReference ? { originalReference: fields.originalReference } : {}),
    paymentMethod: 'visa',
    reason: fields.reason ?? '',
    success: (fields.success ? notification.NotificationRequestItem.SuccessEnum.True : notification.NotificationRequestItem.SuccessEnum.False),
  };
  const additionalData = { ...fields.additionalData, hmacSignature: calculator.calculateHmac(item, hmacKey) };
  return { ...item, additionalData };
}

/** The body Adyen posts: `{live, notificationItems: [{NotificationRequestItem}]}`, as text. */
export function notificationBody(items: NotificationRequestItem[], live = false): string {
  return JSON.stringify({ live: String(live), notificationItems: items.map((item) => ({ NotificationRequestItem: item })) });
}

/** One notification the fake sent (or would send): its exact body and headers, to replay. */
export interface SentNotification {
  body: string;
  headers: Record<string, string>;
  items: NotificationRequestItem[];
  /** Posts made so far, and whether one was answered 2xx `[accepted]`. */
  attempts: number;
  accepted: boolean;
  /** The webhook it goes to; null: none was registered when it was written (kept, never delivered). */
  url: string | null;
}

export interface Webhook {
  url: string;
  /** Hex HMAC key, as Adyen's Customer Area shows it. */
  hmacKey: string;
}

/** The fake's webhook: one at a time (a later registration replaces it), a queue, retries. */
export class WebhookDeliveries {
  readonly sent: SentNotification[] = [];
  private webhook: Webhook | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private fallbackKey: string | null,
    private readonly retryMs: number,
  ) {}

  register(webhook: Webhook): void {
    if (!/^[0-9a-fA-F]+$/.test(webhook.hmacKey) || webhook.hmacKey.length % 2 !== 0) throw new Error('the HMAC key must be hex');
    this.webhook = { ...webhook };
  }

  /** The key items are signed with: the registered webhook's, else the fake's own. */
  get key(): string | null {
    return this.webhook?.hmacKey ?? this.fallbackKey;
  }

  /** Writes one notification of these items and, when a webhook is registered, delivers it. */
  notify(fields: ItemFields[]): SentNotification | null {
    const key = this.key;
    if (!key) return null;
    const items = fields.map((f) => signedItem(f, key));
    const sent: SentNotification = { body: notificationBody(items), headers: { 'content-type': 'application/json' }, items, attempts: 0, accepted: false, url: this.webhook?.url ?? null };
    this.sent.push(sent);
    if (sent.url) void this.deliver(sent);
    return sent;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async deliver(sent: SentNotification): Promise<void> {
    if (this.closed || sent.accepted || !sent.url) return;
    sent.attempts += 1;
    try {
      const res = await fetch(sent.url, { method: 'POST', headers: sent.headers, body: sent.body, signal: AbortSignal.timeout(5000) });
      const text = await res.text();
      if (res.status >= 200 && res.status < 300 && text.trim() === '[accepted]') {
        sent.accepted = true;
        return;
      }
    } catch {
      // Not reachable, or no answer: retried below, as Adyen's retry queue does.
    }
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deliver(sent);
    }, this.retryMs);
    timer.unref();
    this.timers.add(timer);
  }
}
