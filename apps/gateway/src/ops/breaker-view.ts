import type { BreakerSnapshot, GatewayNode } from '#gateway-spi';

/**
 * The breaker guarding a node, as its parent router keeps it (GET /v1/ops/tree): null for the root,
 * and for nodes whose parent lives in another process.
 */
export function presentBreaker(parent: GatewayNode | undefined, nodeId: string) {
  const breaker: BreakerSnapshot | undefined = parent?.childBreakers?.()[nodeId];
  if (!breaker) return null;
  return {
    state: breaker.state,
    consecutive_failures: breaker.consecutiveFailures,
    failure_threshold: breaker.failureThreshold,
    half_open_after_ms: breaker.halfOpenAfterMs,
    successes: breaker.successes,
    failures: breaker.failures,
    rejected: breaker.rejected,
    opened: breaker.opened,
    opened_at: breaker.openedAt === null ? null : new Date(breaker.openedAt).toISOString(),
    last_failure: breaker.lastFailure,
  };
}
