import { describe, expect, it } from 'vitest';
import { bearerCredential, bearerToken, displayPrefix, generateApiKey, hashSecret, secretsEqual } from './api-keys.js';

describe('API keys and the admin token', () => {
  it('keys are sk_test_ + 32 random bytes, stored as a SHA-256 hash with a 12-character display prefix', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^sk_test_[A-Za-z0-9_-]{43}$/);
    expect(hashSecret(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(key)).not.toContain(key.slice(8));
    expect(displayPrefix(key)).toBe(key.slice(0, 12));
  });

  it('compares secrets of any length without throwing (timingSafeEqual over fixed-size digests)', () => {
    expect(secretsEqual('adm_token_0123456789', 'adm_token_0123456789')).toBe(true);
    expect(secretsEqual('adm_token_0123456789', 'adm_token_012345678')).toBe(false);
    expect(secretsEqual('', 'adm_token_0123456789')).toBe(false);
    expect(secretsEqual('x'.repeat(10_000), 'adm_token_0123456789')).toBe(false);
  });

  it('reads exactly one bearer token', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(['Bearer a', 'Bearer b'])).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('bearerCredential', () => {
  it('is the bearer token with its lookup hash, worked out once per request', () => {
    const request = { headers: { authorization: 'Bearer sk_test_abc' } };
    const credential = bearerCredential(request);
    expect(credential).toEqual({ token: 'sk_test_abc', hash: hashSecret('sk_test_abc') });
    expect(bearerCredential(request)).toBe(credential);
    expect(bearerCredential({ headers: { authorization: 'Bearer sk_test_abd' } })?.hash).not.toBe(credential?.hash);
  });

  it('is undefined without a bearer token', () => {
    expect(bearerCredential({ headers: {} })).toBeUndefined();
    expect(bearerCredential({ headers: { authorization: 'Basic abc' } })).toBeUndefined();
  });
});
