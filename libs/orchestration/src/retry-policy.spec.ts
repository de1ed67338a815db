import { HARD_DECLINE_CODES, UNIFIED_CODES } from '#gateway-spi';
import { describe, expect, it } from 'vitest';
import { CODE_POLICY, countsAgainstChild, failedAttemptMayFailOver, mayFailOver } from './retry-policy.js';

describe('retry policy: the one table of what an outcome allows', () => {
  it('covers every unified code, and its hard declines are the SPI hard declines', () => {
    expect(Object.keys(CODE_POLICY).sort()).toEqual([...UNIFIED_CODES].sort());
    const hard = UNIFIED_CODES.filter((code) => CODE_POLICY[code].kind === 'hard');
    expect(new Set(hard)).toEqual(HARD_DECLINE_CODES);
  });

  it.each([
    [{ outcome: 'failed', code: 'provider_unavailable', retryable: true }, true, true],
    [{ outcome: 'failed', code: 'processing_error', retryable: true }, true, true],
    [{ outcome: 'failed', code: 'processing_error', retryable: false }, false, true],
    [{ outcome: 'failed', code: 'provider_timeout', retryable: true }, true, true],
    [{ outcome: 'failed', code: null, retryable: true }, true, true],
    [{ outcome: 'failed', code: 'no_route', retryable: true }, true, false],
    [{ outcome: 'failed', code: 'currency_not_supported', retryable: true }, true, false],
    [{ outcome: 'failed', code: 'operation_not_supported', retryable: true }, true, false],
    // A node that claims a hard decline is retryable is not believed: hard declines are final.
    [{ outcome: 'failed', code: 'card_declined', retryable: true }, false, false],
    [{ outcome: 'declined', code: 'insufficient_funds', retryable: true }, false, false],
    [{ outcome: 'declined', code: 'processing_error', retryable: true }, false, false],
    [{ outcome: 'approved', code: null, retryable: false }, false, false],
    [{ outcome: 'unknown', code: 'provider_timeout', retryable: false }, false, true],
    // Waiting for the shopper: bound to its leaf, and a healthy answer. Even a node claiming it retryable.
    [{ outcome: 'requires_action', code: null, retryable: false }, false, false],
    [{ outcome: 'requires_action', code: null, retryable: true }, false, false],
    // A code of a newer node-host is read as a processing error, not a crash.
    [{ outcome: 'failed', code: 'code_of_a_newer_version' as 'processing_error', retryable: true }, true, true],
  ] as const)('%j: may fail over %s, counts against the child %s', (outcome, failover, unhealthy) => {
    expect(mayFailOver(outcome)).toBe(failover);
    expect(countsAgainstChild(outcome)).toBe(unhealthy);
  });

  it('lets a status-inquiry failure fail over unless it is a hard decline', () => {
    expect(failedAttemptMayFailOver('processing_error')).toBe(true);
    expect(failedAttemptMayFailOver(null)).toBe(true);
    expect(failedAttemptMayFailOver('expired_card')).toBe(false);
  });
});
