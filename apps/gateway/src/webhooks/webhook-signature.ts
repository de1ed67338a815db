// Standard Webhooks (https://www.standardwebhooks.com) signing and verification, with node:crypto
// only, so a merchant can copy this file as is. The official `standardwebhooks` packages verify the
// same headers.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes (the HMAC key). */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the secret's decoded base64 part. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  const digest = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${digest}`;
}

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

export interface VerifyWebhookOptions {
  /** The endpoint's secret, `whsec_…`, as shown when the endpoint was created. */
  secret: string;
  /** The request headers (any case; Node's `req.headers` works as is). */
  headers: Record<string, string | string[] | undefined>;
  /** The raw request body, exactly as received (verify before parsing it). */
  body: string | Buffer;
  /** Largest accepted clock difference, in seconds (replay protection). Default 300. */
  toleranceSeconds?: number;
  now?: Date;
}

/**
 * Checks a delivery's `webhook-signature` against its `webhook-id`, `webhook-timestamp` and raw
 * body; returns the parsed event or throws WebhookVerificationError. Receivers should also keep
 * the `webhook-id`s they have processed: delivery is at least once.
 */
export function verifyWebhook<T = unknown>({ secret, headers, body, toleranceSeconds = 300, now = new Date() }: VerifyWebhookOptions): T {
  const header = (name: string): string => {
    const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
    const value = Array.isArray(entry) ? entry[0] : entry;
    if (!value) throw new WebhookVerificationError(`missing ${name} header`);
    return value;
  };
  const id = header('webhook-id');
  const timestamp = Number(header('webhook-timestamp'));
  const signatures = header('webhook-signature');
  if (!Number.isInteger(timestamp)) throw new WebhookVerificationError('invalid webhook-timestamp');
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) {
    throw new WebhookVerificationError('webhook-timestamp is outside the tolerance (replayed or clock skew)');
  }
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const expected = Buffer.from(signWebhook(secret, id, timestamp, text));
  // The header may carry several space-separated signatures (e.g. during a secret rotation).
  const matches = signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookVerificationError('no matching signature');
  return JSON.parse(text) as T;
}
