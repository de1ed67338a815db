import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new secret key: `sk_test_` + 32 random bytes. Shown once; only its hash is stored. */
export function generateApiKey(): string {
  return `sk_test_${randomBytes(32).toString('base64url')}`;
}

/**
 * A new publishable key: `pk_test_` + 24 random bytes. Safe in a browser: it can only tokenize
 * cards (POST /v1/tokens). Stored as a hash like secret keys, so that a table copy holds no keys.
 */
export function generatePublishableKey(): string {
  return `pk_test_${randomBytes(24).toString('base64url')}`;
}

/** SHA-256 is right for 256-bit random secrets: nothing to brute-force, and lookup stays O(1). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** What may be shown of a key later: its first 12 characters. */
export function displayPrefix(apiKey: string): string {
  return apiKey.slice(0, 12);
}

/** Compares two secrets in constant time (hashing first removes the length leak). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export interface BearerCredential {
  token: string;
  /** `hashSecret(token)`: how the key is looked up, and what the rate limiter counts by. */
  hash: string;
}

type RequestWithHeaders = { headers?: Record<string, string | string[] | undefined> };

const credentials = new WeakMap<object, BearerCredential | null>();

/**
 * The request's bearer token and its hash, hashed once per request: the rate limiter tracks by it
 * and the authentication guard looks the key up by it. Undefined without a bearer token.
 */
export function bearerCredential(request: RequestWithHeaders): BearerCredential | undefined {
  let credential = credentials.get(request);
  if (credential === undefined) {
    const token = bearerToken(request.headers?.authorization);
    credential = token ? { token, hash: hashSecret(token) } : null;
    credentials.set(request, credential);
  }
  return credential ?? undefined;
}
