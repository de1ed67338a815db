import { attemptIdFor, childContext, type AuthorizeOutcome, type AuthorizeRequest, type NodeContext } from '#gateway-spi';
import { prefixOutcome } from './attempt-path.js';
import { settleByStatusInquiry } from './status-inquiry.js';
import type { RouteCandidate } from './strategies/strategy.js';

export interface FailoverSettings {
  routerId: string;
  /** Budget of one child's authorize. */
  timeoutMs: number;
  /** Budget of the status inquiry after an unknown outcome. */
  statusTimeoutMs: number;
}

/** A child's budget: at most `timeoutMs`, leaving room (up to half of what remains) for a status inquiry. */
export function attemptBudget(ctx: NodeContext, settings: FailoverSettings): number {
  const remaining = ctx.deadline - Date.now();
  const reserve = Math.min(settings.statusTimeoutMs, Math.floor(remaining / 2));
  return Math.max(0, Math.min(settings.timeoutMs, remaining - reserve));
}

/**
 * Walks the candidates. Moves on only when the child's outcome proves no money moved (`retryable`);
 * approved, declined and anything not retryable are final. An unknown outcome is first put to the
 * child's `status`; still unknown → stop and return unknown (the root keeps the payment pending).
 * Every attempt is returned in order; later candidates get fresh attempt ids (`attemptIdFor`).
 */
export async function authorizeWithFailover(
  candidates: readonly RouteCandidate[],
  request: AuthorizeRequest,
  ctx: NodeContext,
  settings: FailoverSettings,
): Promise<AuthorizeOutcome> {
  const attempts: AuthorizeOutcome['attempts'] = [];
  let seq = request.attemptSeq;
  let attemptId = request.attemptId;
  let previous: string | null = null;
  let last: AuthorizeOutcome | null = null;
  for (const { node: child, reason } of candidates) {
    if (last && ctx.signal.aborted) break;
    const childRequest = { ...request, attemptId, attemptSeq: seq };
    const answer = await child.authorize(childRequest, childContext(ctx, attemptBudget(ctx, settings)));
    const prefixed = prefixOutcome(answer, settings.routerId, previous ? `${reason} (after ${previous})` : reason);
    const settled = await settleByStatusInquiry(child, prefixed, attemptId, ctx, settings.statusTimeoutMs);
    attempts.push(...settled.attempts);
    last = { ...settled, attempts: [...attempts] };
    if (settled.outcome === 'approved' || !settled.retryable) return last;
    ctx.logger.info('router failover', { router: settings.routerId, from: child.id, code: settled.code });
    seq += answer.attempts.length;
    attemptId = attemptIdFor(request.paymentId, seq);
    previous = `${child.id}: ${settled.code ?? settled.outcome}`;
  }
  if (!last) throw new Error(`router ${settings.routerId}: no candidates to walk`);
  return last;
}
