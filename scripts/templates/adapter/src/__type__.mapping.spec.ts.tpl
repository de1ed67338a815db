import { describe, expect, it } from 'vitest';
import { failureOf } from './__type__.mapping.js';

const facts = { notSent: false, httpStatus: null, providerCode: null, message: 'boom' };

describe('__type__ mapping: where the money is after a failed call', () => {
  it('a request that never left moved nothing and may go to a sibling', () => {
    expect(failureOf({ ...facts, notSent: true })).toEqual({ moved: 'no', code: 'provider_unavailable', message: 'boom', retryable: true });
  });

  it.each([401, 403, 429])('a %i before processing moved nothing', (httpStatus) => {
    expect(failureOf({ ...facts, httpStatus })).toMatchObject({ moved: 'no', code: 'provider_unavailable' });
  });

  it('a timeout after sending, or a 5xx, may have charged: unknown until the status inquiry', () => {
    expect(failureOf(facts)).toEqual({ moved: 'maybe', code: 'provider_timeout', message: 'boom' });
    expect(failureOf({ ...facts, httpStatus: 502 })).toEqual({ moved: 'maybe', code: 'processing_error', message: 'boom' });
  });
});
