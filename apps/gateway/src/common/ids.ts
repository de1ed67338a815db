import { randomBytes } from 'node:crypto';

export type IdPrefix = 'pay' | 're' | 'evt' | 'we' | 'whd' | 'mer' | 'key' | 'ntf' | 'tok' | 'vcd' | 'cus' | 'pm';

/** Prefixed random ids (`pay_…`): 16 random bytes, URL-safe. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBytes(16).toString('base64url').replace(/[-_]/g, 'x')}`;
}
