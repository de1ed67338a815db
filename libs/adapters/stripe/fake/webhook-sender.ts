import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';

/** A webhook endpoint registered on the fake, as on Stripe's dashboard: where to post, and the secret it signs with. */
export interface FakeWebhookEndpoint {
  id: string;
  url: string;
  /** `whsec_…`: what the receiving leaf's `webhook_secret_env` must hold. */
  secret: string;
}

/** One POST the fake made (each retry is its own, signed anew with its own timestamp, as Stripe does). */
export interface WebhookDelivery {
  endpointId: string;
  eventId: string;
  type: string;
  /** The raw body and headers exactly as sent (lower-case names): replay them to test a duplicate. */
  body: string;
  headers: Record<string, string>;
  /** 1 for the first try. */
  attempt: number;
  /** The receiver's HTTP status; null when it could not be reached. */
  status: number | null;
}

export interface SignedEvent {
  body: string;
  headers: Record<string, string>;
}

/** Signs `body` as Stripe signs a webhook: `Stripe-Signature: t=<unix s>,v1=hex(HMAC-SHA256(secret, "t.body"))`. */
export function signEvent(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): SignedEvent {
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }),
    },
  };
}

/**
 * Posts events to the registered endpoints as Stripe does: JSON body, signed header, retried until a
 * 2xx (here after `retryDelaysMs`, Stripe over three days). Per endpoint one event at a time, in the
 * order they happened, so tests see a deterministic sequence (Stripe itself does not promise order).
 */
export class WebhookSender {
  readonly endpoints: FakeWebhookEndpoint[] = [];
  readonly deliveries: WebhookDelivery[] = [];
  private readonly queues = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly retryDelaysMs: readonly number[]) {}

  add(url: string, secret = `whsec_${randomBytes(24).toString('base64url')}`): FakeWebhookEndpoint {
    const endpoint = { id: `we_${randomBytes(12).toString('hex')}`, url, secret };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  remove(id: string): void {
    const index = this.endpoints.findIndex((endpoint) => endpoint.id === id);
    if (index >= 0) this.endpoints.splice(index, 1);
  }

  send(event: Stripe.Event): void {
    const body = JSON.stringify(event, null, 2);
    for (const endpoint of this.endpoints) {
      const queued = (this.queues.get(endpoint.id) ?? Promise.resolve()).then(() => this.deliver(endpoint, event, body));
      this.queues.set(endpoint.id, queued);
      this.running.add(queued);
      void queued.finally(() => this.running.delete(queued));
    }
  }

  /** Resolves once every delivery queued so far has ended (a 2xx, or its retries used up). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async deliver(endpoint: FakeWebhookEndpoint, event: Stripe.Event, body: string): Promise<void> {
    for (let attempt = 1; attempt <= this.retryDelaysMs.length + 1; attempt++) {
      if (!this.endpoints.includes(endpoint)) return;
      const signed = signEvent(body, endpoint.secret);
      const headers = { ...signed.headers, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' };
      let status: number | null = null;
      try {
        const response = await fetch(endpoint.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = null;
      }
      this.deliveries.push({ endpointId: endpoint.id, eventId: event.id, type: event.type, body, headers, attempt, status });
      if (status !== null && status >= 200 && status < 300) return;
      const delay = this.retryDelaysMs[attempt - 1];
      if (delay !== undefined) await sleep(delay);
    }
  }
}
