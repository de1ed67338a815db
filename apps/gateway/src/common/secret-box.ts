import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const SEALED_PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 32-byte key from `CANOPY_WEBHOOK_SECRETS_KEY` (base64), or why the value is not one. */
export function parseSecretsKey(raw: string): Buffer | string {
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== raw.replace(/=+$/, '')) {
    return 'must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)';
  }
  return key;
}

/**
 * Webhook secrets must be readable to sign, so they cannot be hashed; with a key they are stored
 * sealed (AES-256-GCM, a fresh IV each): a copy of the database alone does not let anyone forge
 * webhooks. Without a key they are stored as they are.
 */
export function sealSecret(secret: string, key: Buffer | undefined): string {
  if (!key) return secret;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

/**
 * The secret as stored by `sealSecret`, opened with the first of `keys` that fits (the current key,
 * then the previous one during a rotation); a secret stored before a key was configured is as it is.
 */
export function openSecret(stored: string, keys: readonly Buffer[]): string {
  if (!isSealed(stored)) return stored;
  if (keys.length === 0) throw new Error('this endpoint secret is sealed and CANOPY_WEBHOOK_SECRETS_KEY is not set');
  const bytes = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64');
  for (const key of keys) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      // Sealed with another key: try the next.
    }
  }
  throw new Error('no configured CANOPY_WEBHOOK_SECRETS_KEY opens this endpoint secret');
}

/** The keys that may open a stored secret, current first. */
export function secretsKeys(config: { webhooks: { secretsKey?: Buffer; previousSecretsKey?: Buffer } }): Buffer[] {
  return [config.webhooks.secretsKey, config.webhooks.previousSecretsKey].filter((key): key is Buffer => key !== undefined);
}
