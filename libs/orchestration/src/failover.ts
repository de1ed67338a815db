import { attemptIdFor, inChildContext, leafOutcome, type AttemptRecord, type AuthorizeOutcome, type AuthorizeRequest, type GatewayNode, type NodeContext } from '#gateway-spi';
import { prefixOutcome } from './attempt-path.js';
import type { CascadePolicy } from './cascade-policy.js';
import type { ChildBreaker } from './child-breaker.js';
import { mayFailOver } from './retry-policy.js';
import { settleWithin } from './scatter.js';
import { settleByStatusInquiry } from './status-inquiry.js';
import type { RouteCandidate } from './strategies/strategy.js';

export interface FailoverSettings {
  routerId: string;
  /** Budget of one child's authorize. */
  timeoutMs: number;
  /** Budget of the status inquiry after an unknown outcome. */
  statusTimeoutMs: number;
  /** The circuit breaker kept for a child; a child without one is always called. */
  breakerOf?: (child: GatewayNode) => ChildBreaker<AuthorizeOutcome> | undefined;
  /** Whether a declined attempt is retried on the next candidate; absent: a decline is final. */
  cascade?: CascadePolicy;
  /** Told each child's settled outcome (a strategy that learns from them). */
  observe?: (child: GatewayNode, outcome: AuthorizeOutcome) => void;
}

/** How long a router still waits for a child's own answer after the child's deadline has passed. */
export const ANSWER_GRACE_MS = 100;

/**
 * A child's budget when `candidatesLeft` candidates (this one included) remain: at most `timeoutMs`;
 * a reserve (up to half of what remains) is kept for a status inquiry, and while siblings are still
 * to be tried the child gets at most half of the rest, so a slow first child cannot eat the
 * failover: each next candidate gets half of what is left, the last one all of it.
 */
export function attemptBudget(ctx: NodeContext, settings: FailoverSettings, candidatesLeft = 1): number {
  const remaining = ctx.deadline - Date.now();
  const reserve = Math.min(settings.statusTimeoutMs, Math.floor(remaining / 2));
  const usable = remaining - reserve;
  const share = candidatesLeft > 1 ? Math.floor(usable / 2) : usable;
  return Math.max(0, Math.min(settings.timeoutMs, share));
}

/** What a router records for a child that threw or did not answer at all: the outcome is unknown. */
function unanswered(child: GatewayNode, request: AuthorizeRequest, why: string, startedAt: number): AuthorizeOutcome {
  return leafOutcome(child.id, request, {
    outcome: 'unknown',
    code: 'provider_timeout',
    message: `${child.id} did not answer (${why}); it may have acted: ask for status`,
    retryable: false,
    providerReference: null,
    amountCaptured: 0,
    latencyMs: Math.round(performance.now() - startedAt),
  });
}

function authorizeChild(child: GatewayNode, request: AuthorizeRequest, ctx: NodeContext, budgetMs: number): Promise<AuthorizeOutcome> {
  return inChildContext(ctx, budgetMs, (childCtx) => {
    const startedAt = performance.now();
    let work: Promise<AuthorizeOutcome>;
    try {
      work = child.authorize(request, childCtx);
    } catch (error) {
      work = Promise.reject(error);
    }
    return settleWithin(work, childCtx.signal, (why) => unanswered(child, request, why, startedAt), ANSWER_GRACE_MS);
  });
}

/** No candidate was called: every one was refused by its breaker. Nothing moved, so the parent may fail over. */
function noneCalled(routerId: string, notes: readonly string[]): AuthorizeOutcome {
  return {
    outcome: 'failed',
    code: 'provider_unavailable',
    message: `router ${routerId}: no candidate could be called (${notes.join(', ')})`,
    retryable: true,
    providerReference: null,
    path: [routerId],
    amountCaptured: 0,
    attempts: [],
  };
}

/**
 * Walks the candidates, each through its breaker (an open one skips the child without calling it).
 * Moves on when the outcome may fail over (`mayFailOver`: nothing moved, not a hard decline), or
 * when it is a decline the cascade policy retries and enough of the deadline is left; approved,
 * other declines and anything else are final. An unknown outcome is first put to the child's
 * `status`; still unknown → stop and return unknown (the root keeps the payment pending). A
 * cascade never follows an unknown outcome, not even one the inquiry then found declined. The
 * cascade limit counts every decline of the payment retried so far, by this router, the routers
 * below it and those above (`cascadesSoFar`). Every attempt is returned in order; later candidates
 * get fresh attempt ids (`attemptIdFor`). When a cascade ends in a failure that moved nothing, the
 * answer is the decline before it: that is what the card's issuer said.
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
  /** Why the candidates before this one did not take the payment. */
  let notes: string[] = [];
  /** How the notes read in the next attempt's reason: "after" a failover, "cascade after" a decline. */
  let noteLabel = 'after';
  let last: AuthorizeOutcome | null = null;
  let lastDecline: AuthorizeOutcome | null = null;
  /** Declines of this payment retried elsewhere so far: by routers above this one, then in this walk (nested routers included). */
  const cascadesBefore = request.cascadesSoFar ?? 0;
  let cascadesSoFar = cascadesBefore;
  for (const [index, { node: child, reason }] of candidates.entries()) {
    if (last && ctx.signal.aborted) break;
    const left = candidates.length - index;
    if (lastDecline && attemptBudget(ctx, settings, left) < (settings.cascade?.minBudgetMs ?? 0)) {
      ctx.logger.info('router cascade skipped: too little time left', { router: settings.routerId, to: child.id });
      break;
    }
    const childRequest = { ...request, attemptId, attemptSeq: seq, ...(cascadesSoFar > 0 && { cascadesSoFar }) };
    const call = () => authorizeChild(child, childRequest, ctx, attemptBudget(ctx, settings, left));
    const breaker = settings.breakerOf?.(child);
    const run = breaker ? await breaker.run(call) : { admitted: true as const, value: await call() };
    if (!run.admitted) {
      notes.push(`${child.id}: breaker open`);
      continue;
    }
    const answer = run.value;
    const prefixed = prefixOutcome(answer, settings.routerId, notes.length > 0 ? `${reason} (${noteLabel} ${notes.join(', ')})` : reason);
    const settled = await settleByStatusInquiry(child, prefixed, attemptId, ctx, settings.statusTimeoutMs);
    settings.observe?.(child, settled);
    attempts.push(...settled.attempts);
    last = { ...settled, attempts: [...attempts] };
    seq += answer.attempts.length;
    attemptId = attemptIdFor(request.paymentId, seq);
    if (mayFailOver(settled)) {
      ctx.logger.info('router failover', { router: settings.routerId, from: child.id, code: settled.code });
      notes = [`${child.id}: ${settled.code ?? settled.outcome}`];
      noteLabel = 'after';
      continue;
    }
    if (settled.outcome !== 'declined' || settled.settledByInquiry || !settings.cascade || index === candidates.length - 1) return last;
    const made = cascadesBefore + retriedDeclines(attempts);
    if (settings.cascade.refusal(settled, request, made) !== null) return last;
    cascadesSoFar = made + 1;
    lastDecline = last;
    ctx.logger.info('router cascade', { router: settings.routerId, from: child.id, code: settled.code });
    notes = [`${child.id} declined ${settled.code ?? 'card_declined'}`];
    noteLabel = 'cascade after';
  }
  if (lastDecline && last && last !== lastDecline && last.outcome === 'failed') return { ...lastDecline, attempts: last.attempts };
  return last ?? noneCalled(settings.routerId, notes);
}

/** Declines followed by another attempt: each one was retried elsewhere (nothing else moves on after a decline). */
function retriedDeclines(attempts: readonly AttemptRecord[]): number {
  let retried = 0;
  for (let i = 0; i < attempts.length - 1; i += 1) if (attempts[i]!.outcome === 'declined') retried += 1;
  return retried;
}
