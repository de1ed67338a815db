import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The format of everything the vault seals: `v1.` + base64(IV ‖ GCM tag ‖ ciphertext). */
const FORMAT = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a fresh random IV. `context` is authenticated, not stored: a sealed value opens
 * only for the same context (the card it belongs to), so values copied between rows open nothing.
 */
export function seal(key: Buffer, plaintext: Buffer, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return FORMAT + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** The plaintext of `seal`; throws when the key or the context is not the one it was sealed with, or the value was altered. */
export function open(key: Buffer, sealed: string, context: string): Buffer {
  if (!sealed.startsWith(FORMAT)) throw new Error('not a value sealed by the vault');
  const bytes = Buffer.from(sealed.slice(FORMAT.length), 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('a sealed value too short to be one');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
