import type { AttemptRecord, AuthorizeOutcome } from '#gateway-spi';

/** Routing reasons from the top down, one router's decision per part. */
export function joinReasons(...parts: string[]): string {
  return parts.filter((part) => part.length > 0).join('; ');
}

/** A child's outcome as seen from its parent router: paths prefixed, the parent's decision first. */
export function prefixOutcome(outcome: AuthorizeOutcome, routerId: string, reason: string): AuthorizeOutcome {
  return {
    ...outcome,
    path: [routerId, ...outcome.path],
    attempts: outcome.attempts.map((attempt): AttemptRecord => ({
      ...attempt,
      path: [routerId, ...attempt.path],
      reason: joinReasons(reason, attempt.reason),
    })),
  };
}
