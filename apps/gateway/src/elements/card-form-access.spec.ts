import { describe, expect, it } from 'vitest';
import type { ApiKeyOwner } from '../auth/index.js';
import { type ApiKeyLookup, grantCardForm, originOf } from './card-form-access.js';

const SHOP = 'https://shop.example';
const owners: Record<string, ApiKeyOwner> = {
  pk_test_live: { merchantId: 'mer_1', revoked: false, kind: 'publishable', allowedOrigins: [SHOP, 'http://localhost:8080'], cascadeOptIn: false },
  pk_test_revoked: { merchantId: 'mer_1', revoked: true, kind: 'publishable', allowedOrigins: [SHOP], cascadeOptIn: false },
  sk_test_secret: { merchantId: 'mer_1', revoked: false, kind: 'secret', allowedOrigins: [SHOP], cascadeOptIn: false },
};
const lookup: ApiKeyLookup = async (key) => owners[key];

describe('who may open the card form', () => {
  it('opens for a live publishable key framed by one of its allowed origins', async () => {
    expect(await grantCardForm(lookup, 'pk_test_live', SHOP)).toEqual({ publishableKey: 'pk_test_live', parentOrigin: SHOP });
    expect(await grantCardForm(lookup, 'pk_test_live', 'HTTP://LOCALHOST:8080')).toEqual({
      publishableKey: 'pk_test_live',
      parentOrigin: 'http://localhost:8080',
    });
  });

  it('refuses an origin the merchant did not allow', async () => {
    expect(await grantCardForm(lookup, 'pk_test_live', 'https://evil.example')).toEqual({
      status: 403,
      message: "Pages of https://evil.example may not embed this card form; add the origin to the merchant's allowed_origins.",
    });
  });

  it.each([
    ['no key', undefined, SHOP],
    ['an empty key', '', SHOP],
    ['no origin', 'pk_test_live', undefined],
    ['a URL with a path', 'pk_test_live', `${SHOP}/checkout`],
    ['a trailing slash', 'pk_test_live', `${SHOP}/`],
    ['another scheme', 'pk_test_live', 'javascript:alert(1)'],
    ['"*"', 'pk_test_live', '*'],
  ])('answers 400 to %s', async (_case, key, origin) => {
    expect(await grantCardForm(lookup, key, origin)).toMatchObject({ status: 400 });
  });

  it.each([
    ['an unknown key', 'pk_test_unknown'],
    ['a revoked key', 'pk_test_revoked'],
    ['a secret key', 'sk_test_secret'],
  ])('answers 403 to %s, without naming the key', async (_case, key) => {
    const denial = await grantCardForm(lookup, key, SHOP);
    expect(denial).toMatchObject({ status: 403 });
    expect(JSON.stringify(denial)).not.toContain(key);
  });

  it('tells a merchant that put its secret key in a page to use the publishable one', async () => {
    expect(await grantCardForm(lookup, 'sk_test_secret', SHOP)).toMatchObject({ message: expect.stringContaining('publishable key (pk_…)') });
  });

  it('serializes origins the way browsers do', () => {
    expect(originOf('https://Shop.Example:443')).toBe(SHOP);
    expect(originOf('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(originOf('https://user@shop.example')).toBeUndefined();
    expect(originOf('https://shop.example?x')).toBeUndefined();
  });
});
