import { describe, expect, it } from 'vitest';
import { leafOutcome } from './leaf-outcome.js';

describe('leafOutcome', () => {
  it('records the one attempt of the request on the leaf, with the outcome it produced', () => {
    const answer = { outcome: 'approved', code: null, message: null, retryable: false, providerReference: 'ref_1', amountCaptured: 500, latencyMs: 7 } as const;
    expect(leafOutcome('sim-a', { attemptId: 'att_x_2', attemptSeq: 2 }, answer)).toStrictEqual({
      outcome: 'approved',
      code: null,
      message: null,
      retryable: false,
      providerReference: 'ref_1',
      path: ['sim-a'],
      amountCaptured: 500,
      attempts: [{ attemptId: 'att_x_2', attemptSeq: 2, path: ['sim-a'], outcome: 'approved', code: null, reason: '', latencyMs: 7, providerReference: 'ref_1' }],
    });
  });

  it('keeps a reason given for the attempt', () => {
    const answer = { outcome: 'failed', code: 'provider_unavailable', message: 'down', retryable: true, providerReference: null, amountCaptured: 0, latencyMs: 0, reason: 'why' } as const;
    expect(leafOutcome('sim-a', { attemptId: 'att_x_1', attemptSeq: 1 }, answer).attempts[0]!.reason).toBe('why');
  });
});
