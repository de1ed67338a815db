import { describe, expect, it } from 'vitest';
import { trackerOf } from './rate-limit.guard.js';

const request = (authorization: string | undefined, ip: string) => ({ headers: authorization ? { authorization } : {}, ip });

describe('the rate limit tracker', () => {
  it('gives a secret key one budget wherever its requests come from', () => {
    expect(trackerOf(request('Bearer sk_test_abc', '10.0.0.1'))).toBe(trackerOf(request('Bearer sk_test_abc', '10.0.0.2')));
    expect(trackerOf(request('Bearer sk_test_abc', '10.0.0.1'))).not.toBe(trackerOf(request('Bearer sk_test_abd', '10.0.0.1')));
    expect(trackerOf(request('Bearer sk_test_abc', '10.0.0.1'))).not.toContain('sk_test_abc');
  });

  it('gives a publishable key a budget per address: the key is public, its shoppers do not share one', () => {
    expect(trackerOf(request('Bearer pk_test_abc', '10.0.0.1'))).not.toBe(trackerOf(request('Bearer pk_test_abc', '10.0.0.2')));
    expect(trackerOf(request('Bearer pk_test_abc', '10.0.0.1'))).toBe(trackerOf(request('Bearer pk_test_abc', '10.0.0.1')));
  });

  it('tracks requests without a key by address', () => {
    expect(trackerOf(request(undefined, '10.0.0.1'))).toBe('ip:10.0.0.1');
  });
});
