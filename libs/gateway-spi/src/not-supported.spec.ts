import { describe, expect, it } from 'vitest';
import type { OperationOutcome } from './money-operations.js';
import { isNotSupported, notSupported } from './not-supported.js';

describe('not supported', () => {
  it('is a failed answer with its own code, the message naming the operation', () => {
    expect(notSupported('leaf', 'void')).toEqual({ outcome: 'failed', code: 'operation_not_supported', message: 'void is not supported by leaf', providerReference: null });
    expect(isNotSupported(notSupported('leaf', 'refund'))).toBe(true);
  });

  it('is told by its code, not by what the message says', () => {
    const saysSo: OperationOutcome = { outcome: 'failed', code: 'processing_error', message: 'void is not supported by leaf', providerReference: null };
    const succeeded: OperationOutcome = { outcome: 'succeeded', code: 'operation_not_supported', message: null, providerReference: null };
    expect(isNotSupported(saysSo)).toBe(false);
    expect(isNotSupported(succeeded)).toBe(false);
  });
});
