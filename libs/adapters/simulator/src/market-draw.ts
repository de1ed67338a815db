/**
 * Seeded draws of the market: a pure function of (seed, leaf, attempt, purpose), so an attempt gets
 * the same verdict whatever the order or concurrency of calls, and leaves, attempts and purposes
 * draw independently. FNV-1a spreads the key over 32 bits, murmur3's finalizer avalanches it: a
 * few multiplications per character, no crypto (a benchmark makes hundreds of thousands of calls).
 */
export function marketDraw(seed: number, leafId: string, attemptId: string, purpose: string): number {
  const key = `${seed}\u0000${leafId}\u0000${attemptId}\u0000${purpose}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 0x1_0000_0000;
}
