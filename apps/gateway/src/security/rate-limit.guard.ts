import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { bearerCredential } from '../auth/index.js';
import { ApiError } from '../errors/api-error.js';

/**
 * Rate limits per credential, not per IP: the tracker is a hash of the bearer token (an API key,
 * or the admin token on ops routes), so merchants behind one NAT do not share a budget and one
 * merchant cannot spend another's. Requests without a token are tracked by IP, and a publishable
 * key by key and IP.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return trackerOf(request as { headers?: Record<string, string | string[] | undefined>; ip?: string });
  }

  /** One budget per credential across all routes (the default is per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `${throttler}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new ApiError(
      429,
      'rate_limit_error',
      'rate_limit_exceeded',
      `Too many requests: at most ${detail.limit} per ${detail.ttl} ms for this key. Retry after ${retryAfter} s.`,
      undefined,
      { 'retry-after': String(retryAfter) },
    );
  }
}

export function trackerOf(request: { headers?: Record<string, string | string[] | undefined>; ip?: string }): string {
  const credential = bearerCredential(request);
  if (!credential) return `ip:${request.ip ?? 'unknown'}`;
  const { token } = credential;
  const key = `key:${credential.hash.slice(0, 32)}`;
  // A publishable key is public, in every shopper's browser: a budget per key and address, so that
  // one page (or anyone who copied the key) cannot spend the budget of the merchant's checkout.
  return token.startsWith('pk_') ? `${key}:ip:${request.ip ?? 'unknown'}` : key;
}
