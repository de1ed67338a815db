import http from 'node:http';
import https from 'node:https';
import { publicOnlyLookup, refusedHost } from './receiver-address.js';

/** What one POST to a receiver came to. */
export type SendResult =
  | { kind: 'delivered'; status: number }
  | { kind: 'gone'; status: 410 }
  | { kind: 'retry'; status: number | null; error: string };

export interface OutgoingWebhook {
  url: string;
  id: string;
  timestampSeconds: number;
  signature: string;
  body: string;
}

export interface SendOptions {
  /** How long the receiver has to answer. */
  timeoutMs: number;
  /** Allow receivers on loopback and private networks (development and tests only). */
  allowPrivateNetworks: boolean;
}

/**
 * POSTs one signed delivery and classifies the answer: 2xx delivered, 410 gone (disable the
 * endpoint), anything else (other statuses, redirects, timeouts, refused connections, a receiver
 * that is not on a public address) retry. Redirects are not followed.
 */
export function sendWebhook(webhook: OutgoingWebhook, { timeoutMs, allowPrivateNetworks }: SendOptions): Promise<SendResult> {
  let url: URL;
  try {
    url = new URL(webhook.url);
  } catch {
    return Promise.resolve({ kind: 'retry', status: null, error: 'the endpoint URL is not a valid URL' });
  }
  const refused = allowPrivateNetworks ? null : refusedHost(url);
  if (refused) return Promise.resolve({ kind: 'retry', status: null, error: `refused: ${refused}` });
  const body = Buffer.from(webhook.body);
  return new Promise((resolve) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      signal: AbortSignal.timeout(timeoutMs),
      ...(allowPrivateNetworks ? {} : { lookup: publicOnlyLookup }),
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        'user-agent': 'Canopy-Webhooks/1.0',
        'webhook-id': webhook.id,
        'webhook-timestamp': String(webhook.timestampSeconds),
        'webhook-signature': webhook.signature,
      },
    });
    request.on('response', (response) => {
      // The answer's body is of no use to us; do not let a receiver stream one at us.
      response.destroy();
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve({ kind: 'delivered', status });
      else if (status === 410) resolve({ kind: 'gone', status: 410 });
      else resolve({ kind: 'retry', status, error: `receiver answered ${status}` });
    });
    request.on('error', (error: Error & { code?: string }) => {
      const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError';
      resolve({ kind: 'retry', status: null, error: timedOut ? `no answer within ${timeoutMs} ms` : `request failed: ${error.message}` });
    });
    request.end(body);
  });
}
