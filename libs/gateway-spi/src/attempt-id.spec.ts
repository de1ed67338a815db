import { describe, expect, it } from 'vitest';
import { attemptIdFor, parseAttemptId } from './attempt-id.js';

describe('attempt ids', () => {
  it('parse back into the payment id and seq they were made from', () => {
    expect(parseAttemptId(attemptIdFor('pay_Ab_c-9', 3))).toEqual({ paymentId: 'pay_Ab_c-9', seq: 3 });
    expect(parseAttemptId('att_x_0')).toBeNull();
    expect(parseAttemptId('ext-123')).toBeNull();
  });
});
