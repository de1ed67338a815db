import { describe, expect, it } from 'vitest';
import { scriptForCard, TEST_CARDS } from './test-cards.js';

describe('test cards', () => {
  it.each([
    ['4242424242424242', { kind: 'approve' }],
    ['5555555555554444', { kind: 'approve' }],
    ['4000000000000002', { kind: 'decline', code: 'card_declined' }],
    ['4000000000009995', { kind: 'decline', code: 'insufficient_funds' }],
    ['4000000000000069', { kind: 'decline', code: 'expired_card' }],
    ['4000000000000119', { kind: 'fail', code: 'processing_error' }],
    ['4000000000000101', { kind: 'charge-no-reply' }],
    ['4000000000003220', { kind: 'challenge', issuerRefuses: false }],
    ['4000008400001629', { kind: 'challenge', issuerRefuses: true }],
    ['4000000000003055', { kind: 'approve' }],
    ['4111111111111111', { kind: 'approve' }],
    ['4242424242424241', { kind: 'decline', code: 'invalid_card_number' }],
  ])('%s → %j', (number, script) => {
    expect(scriptForCard(number)).toEqual(script);
  });

  it('lists only Luhn-valid numbers', async () => {
    const { isLuhnValid } = await import('#gateway-spi');
    for (const number of TEST_CARDS.keys()) expect(isLuhnValid(number)).toBe(true);
  });
});
