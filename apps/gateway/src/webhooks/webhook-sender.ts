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

/**
 * POSTs one signed delivery and classifies the answer: 2xx delivered, 410 gone (disable the
 * endpoint), anything else (other statuses, redirects, timeouts, refused connections) retry.
 */
export async function sendWebhook(webhook: OutgoingWebhook, timeoutMs: number): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(webhook.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Canopy-Webhooks/1.0',
        'webhook-id': webhook.id,
        'webhook-timestamp': String(webhook.timestampSeconds),
        'webhook-signature': webhook.signature,
      },
      body: webhook.body,
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { kind: 'retry', status: null, error: timedOut ? `no answer within ${timeoutMs} ms` : `request failed${cause}` };
  }
  // The answer's body is of no use to us; do not let a receiver stream one at us.
  await response.body?.cancel().catch(() => {});
  if (response.status >= 200 && response.status < 300) return { kind: 'delivered', status: response.status };
  if (response.status === 410) return { kind: 'gone', status: 410 };
  return { kind: 'retry', status: response.status, error: `receiver answered ${response.status}` };
}
