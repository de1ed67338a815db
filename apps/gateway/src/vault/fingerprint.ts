import { createHmac } from 'node:crypto';

/**
 * The same card of the same merchant gives the same fingerprint, without decrypting anything; a
 * per-merchant input keeps one merchant's fingerprints from linking its shoppers to another's.
 */
export function fingerprintOf(key: Buffer, merchantId: string, number: string): string {
  return createHmac('sha256', key).update(`${merchantId}\0${number}`, 'utf8').digest('base64url');
}
