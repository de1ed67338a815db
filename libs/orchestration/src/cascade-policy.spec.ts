import { UNIFIED_CODES, type UnifiedCode } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { CascadePolicy, DEFAULT_CASCADE_TABLE, MERCHANT_INITIATED_RETRYABLE } from './cascade-policy.js';

const on = (codes: Partial<Record<UnifiedCode, 'cascade' | 'opt_in' | 'never'>> = {}, maxAttempts = 1) => new CascadePolicy({ maxAttempts, minBudgetMs: 0, codes });
const declined = (code: UnifiedCode) => ({ outcome: 'declined' as const, code });
const customer = {};

describe('cascade table', () => {
  it('has a rule for every unified code', () => {
    expect(Object.keys(DEFAULT_CASCADE_TABLE).sort()).toEqual([...UNIFIED_CODES].sort());
  });

  it.each(['try_again_later', 'issuer_unavailable', 'processing_error'] as const)('retries a %s decline elsewhere', (code) => {
    expect(on().refusal(declined(code), customer, 0)).toBeNull();
  });

  it.each(['card_declined', 'insufficient_funds', 'expired_card', 'incorrect_cvc', 'invalid_card_number', 'stolen_card', 'suspected_fraud', 'authentication_required', 'authentication_failed'] as const)(
    'never retries a %s decline',
    (code) => {
      expect(on().refusal(declined(code), customer, 0)).toBe(`${code} is never cascaded`);
    },
  );

  it('retries do_not_honor only for a merchant that opted in', () => {
    expect(on().refusal(declined('do_not_honor'), customer, 0)).toBe('do_not_honor is cascaded only for merchants that opt in');
    expect(on().refusal(declined('do_not_honor'), { cascadeOptIn: true }, 0)).toBeNull();
  });

  it('takes a router’s overrides of the table', () => {
    const policy = on({ do_not_honor: 'cascade', try_again_later: 'never' });
    expect(policy.refusal(declined('do_not_honor'), customer, 0)).toBeNull();
    expect(policy.refusal(declined('try_again_later'), customer, 0)).toBe('try_again_later is never cascaded');
  });

  it('stops at the limit, is off at 0, and never follows anything but a decline', () => {
    expect(on({}, 2).refusal(declined('try_again_later'), customer, 1)).toBeNull();
    expect(on({}, 2).refusal(declined('try_again_later'), customer, 2)).toBe('cascade limit 2 reached');
    expect(on({}, 0).refusal(declined('try_again_later'), customer, 0)).toBe('cascading is off');
    expect(on().refusal({ outcome: 'unknown', code: 'provider_timeout' }, customer, 0)).toBe('unknown is not a decline');
    expect(on().refusal({ outcome: 'requires_action', code: null }, customer, 0)).toBe('requires_action is not a decline');
  });
});

describe('scheme retry rules for merchant-initiated payments', () => {
  const mit = { initiator: 'merchant' as const, cascadeOptIn: true };

  it('retries only "cannot approve at this time" declines', () => {
    for (const code of MERCHANT_INITIATED_RETRYABLE) expect(on().refusal(declined(code), mit, 0)).toBeNull();
  });

  it.each(['do_not_honor', 'insufficient_funds', 'card_declined', 'stolen_card', 'expired_card', 'incorrect_cvc', 'authentication_required'] as const)(
    'never retries %s, even where the table or an opt-in would',
    (code) => {
      const everything = on(Object.fromEntries(UNIFIED_CODES.map((c) => [c, 'cascade'])));
      expect(everything.refusal(declined(code), mit, 0)).toBe(`${code}: a merchant-initiated payment is not retried (scheme rules)`);
    },
  );
});
