import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestFingerprint } from './request-fingerprint.js';

const body = (number: string, cvc: string, amount = 1000) => ({ amount, currency: 'EUR', payment_method: { type: 'card', card: { number, exp_month: 12, exp_year: 2030, cvc } } });

describe('the request fingerprint of an idempotency key', () => {
  it('is the same for the same request, whatever the order of its fields', () => {
    const a = requestFingerprint('POST', '/v1/payments', body('4242424242424242', '123'));
    const b = requestFingerprint('POST', '/v1/payments', { payment_method: { card: { cvc: '123', exp_year: 2030, exp_month: 12, number: '4242424242424242' }, type: 'card' }, currency: 'EUR', amount: 1000 });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells requests apart by method, path and every field but the card secrets', () => {
    const base = requestFingerprint('POST', '/v1/payments', body('4242424242424242', '123'));
    expect(requestFingerprint('POST', '/v1/payments', body('4242424242424242', '123', 1001))).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/payments', body('5555555555554444', '123'))).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/payments/x/capture', body('4242424242424242', '123'))).not.toBe(base);
  });

  it('holds nothing a stolen database could search the card number or CVC with: only BIN and last 4 of the number count', () => {
    const base = requestFingerprint('POST', '/v1/payments', body('4242424242424242', '123'));
    expect(requestFingerprint('POST', '/v1/payments', body('4242424242424242', '999'))).toBe(base);
    expect(requestFingerprint('POST', '/v1/payments', body('4242420000004242', '123'))).toBe(base);
    const plain = createHash('sha256').update(`POST /v1/payments\n${JSON.stringify(body('4242424242424242', '123'))}`).digest('hex');
    expect(base).not.toBe(plain);
  });

  it('stays byte for byte what earlier releases stored (a changed digest would turn every retry after a deploy into a conflict)', () => {
    const rich = {
      amount: 1999,
      currency: 'EUR',
      capture: false,
      description: 'Ünïcode "quoted"',
      metadata: { order: '42', b: undefined, a: [1, 'two', { z: null, y: true }] },
      payment_method: { type: 'card', card: { number: '4000000000000119', exp_month: 1, exp_year: 2031, cvc: '737', holder: 'A B' } },
    };
    expect(requestFingerprint('POST', '/v1/payments', rich)).toBe('7bc95e4c20248aaf0618e96b452c8f4a82f954d2d76d290d496ebdd2c24597d7');
  });
});
