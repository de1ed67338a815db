import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecret, parseSecretsKey, sealSecret } from './secret-box.js';

const key = randomBytes(32);
const secret = 'whsec_' + randomBytes(32).toString('base64');

describe('webhook secrets at rest', () => {
  it('seals with a fresh IV each time and opens back to the secret', () => {
    const first = sealSecret(secret, key);
    const second = sealSecret(secret, key);
    expect(first).toMatch(/^sealed:v1:/);
    expect(first).not.toBe(second);
    expect(first).not.toContain(secret.slice(6, 20));
    expect(openSecret(first, [key])).toBe(secret);
    expect(openSecret(second, [key])).toBe(secret);
  });

  it('keeps secrets as they are without a key, and reads those stored before a key was set', () => {
    expect(sealSecret(secret, undefined)).toBe(secret);
    expect(openSecret(secret, [key])).toBe(secret);
  });

  it('refuses to open with another key, after tampering, or without a key', () => {
    const sealed = sealSecret(secret, key);
    expect(() => openSecret(sealed, [randomBytes(32)])).toThrow('no configured CANOPY_WEBHOOK_SECRETS_KEY opens');
    const bytes = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => openSecret(`sealed:v1:${bytes.toString('base64')}`, [key])).toThrow();
    expect(() => openSecret(sealed, [])).toThrow('CANOPY_WEBHOOK_SECRETS_KEY is not set');
  });

  it('opens with the previous key during a rotation', () => {
    const previous = randomBytes(32);
    expect(openSecret(sealSecret(secret, previous), [key, previous])).toBe(secret);
    expect(openSecret(sealSecret(secret, key), [key, previous])).toBe(secret);
  });

  it('takes a key of exactly 32 bytes in base64', () => {
    expect(parseSecretsKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretsKey(randomBytes(16).toString('base64'))).toContain('32 random bytes');
    expect(parseSecretsKey('not base64 at all!')).toContain('32 random bytes');
  });
});
