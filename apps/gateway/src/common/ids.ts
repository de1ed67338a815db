import { randomFillSync } from 'node:crypto';

export type IdPrefix = 'pay' | 're' | 'evt' | 'we' | 'whd' | 'mer' | 'key' | 'ntf' | 'tok' | 'vcd' | 'cus' | 'pm';

const ID_BYTES = 16;
/** Random bytes for 256 ids, drawn from the CSPRNG at once: one call instead of one per id (a payment takes several). */
const pool = Buffer.alloc(ID_BYTES * 256);
let offset = pool.length;

/** Prefixed random ids (`pay_…`): 16 random bytes, URL-safe. Each byte of the pool is used once. */
export function newId(prefix: IdPrefix): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return `${prefix}_${random.replace(/[-_]/g, 'x')}`;
}
