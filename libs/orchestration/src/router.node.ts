import {
  inChildContext,
  type AttemptAddress,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type BreakerSnapshot,
  type CaptureRequest,
  type CompleteActionRequest,
  type GatewayNode,
  type HealthReport,
  type NodeContext,
  type NodeDescriptor,
  notForThisNode,
  type NotificationAnswer,
  type OperationOutcome,
  type PreviewOptions,
  type ProviderNotification,
  type Quote,
  type QuoteRequest,
  type RefundRequest,
  type RoutePreview,
  type RoutingFacts,
  type StatusOutcome,
  type StatusRequest,
  statusWithoutMoney,
  type UnifiedCode,
  type VoidRequest,
} from '#gateway-spi';
import { capabilityMisfit, unionCapabilities } from './capabilities.js';
import { CascadePolicy, DEFAULT_CASCADE, type CascadeSettings } from './cascade-policy.js';
import { ChildBreaker, DEFAULT_BREAKER, type BreakerSettings } from './child-breaker.js';
import { authorizeWithFailover } from './failover.js';
import { aggregateHealth } from './health.aggregate.js';
import { firstKnowing, forwardNotification, reachOf } from './notification-forward.js';
import { gatherQuotes, quoteCandidates } from './quote.aggregate.js';
import { countsAgainstChild } from './retry-policy.js';
import { previewCandidates } from './route-preview.js';
import { routingFactsOf } from './routing-facts.js';
import type { ChildQuotes, FittedChild, RouteCandidate, RoutePlan, RoutingStrategy } from './strategies/strategy.js';

export const DEFAULT_TIMEOUT_MS = 3000;
export const DEFAULT_STATUS_TIMEOUT_MS = 1000;
/** Default budget of one child's quote (capped by `timeoutMs`). */
export const DEFAULT_QUOTE_TIMEOUT_MS = 1000;

export interface RouterNodeSettings {
  id: string;
  strategy: RoutingStrategy;
  children: readonly GatewayNode[];
  /** Budget of one child call (authorize, follow-ups, health). */
  timeoutMs?: number;
  /** Budget of the status inquiry after a child's unknown outcome. */
  statusTimeoutMs?: number;
  /** Budget of one child's quote (quotes, lowest-cost planning, preview); default min(timeoutMs, 1000). */
  quoteTimeoutMs?: number;
  /** The circuit breaker kept for each child. */
  breaker?: Partial<BreakerSettings>;
  /** Which declines are retried on the next candidate, and how often (default: none). */
  cascade?: Partial<CascadeSettings>;
}

/** A child left out of the plan, and why. */
export interface PlanSkip {
  node: GatewayNode;
  reason: string;
}

/** A plan with the unified code to answer when it has no candidates, and the children left out. */
export type RouterPlan = RoutePlan & { code: UnifiedCode | null; skipped: PlanSkip[] };

type Routed = { child: GatewayNode; path: string[] } | { problem: string };

const PINNED: PreviewOptions = { pinned: true };

/**
 * A composite node: plans with its strategy (gathering quotes first when the strategy needs them),
 * leaves out children whose breaker is open, walks the plan with failover through each child's
 * breaker, and forwards follow-ups down the recorded path.
 */
export class RouterNode implements GatewayNode {
  readonly id: string;
  readonly timeoutMs: number;
  readonly statusTimeoutMs: number;
  readonly quoteTimeoutMs: number;
  readonly breakerSettings: BreakerSettings;
  private readonly strategy: RoutingStrategy;
  private readonly kids: readonly GatewayNode[];
  private readonly byId: ReadonlyMap<string, GatewayNode>;
  private readonly breakers: ReadonlyMap<string, ChildBreaker<AuthorizeOutcome>>;
  readonly cascade: CascadePolicy;

  constructor(settings: RouterNodeSettings) {
    this.id = settings.id;
    this.strategy = settings.strategy;
    this.kids = [...settings.children];
    this.byId = new Map(this.kids.map((child) => [child.id, child]));
    if (this.byId.size !== this.kids.length) throw new Error(`router ${this.id}: child ids must be unique`);
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.statusTimeoutMs = settings.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS;
    this.quoteTimeoutMs = settings.quoteTimeoutMs ?? Math.min(this.timeoutMs, DEFAULT_QUOTE_TIMEOUT_MS);
    this.breakerSettings = { ...DEFAULT_BREAKER, ...settings.breaker };
    const describeFailure = (outcome: AuthorizeOutcome) => outcome.code ?? outcome.outcome;
    this.breakers = new Map(this.kids.map((child) => [child.id, new ChildBreaker(this.breakerSettings, countsAgainstChild, describeFailure)]));
    const cascade = { ...DEFAULT_CASCADE, ...settings.cascade };
    // A child never gets more than timeoutMs, so a larger minimum would switch cascading off.
    this.cascade = new CascadePolicy({ ...cascade, minBudgetMs: Math.min(cascade.minBudgetMs, this.timeoutMs) });
  }

  children(): readonly GatewayNode[] {
    return this.kids;
  }

  childBreakers(): Record<string, BreakerSnapshot> {
    return Object.fromEntries(this.kids.map((child) => [child.id, this.breakers.get(child.id)!.snapshot()]));
  }

  describe(): NodeDescriptor {
    const children = this.kids.map((child) => child.describe());
    return {
      id: this.id,
      kind: 'router',
      type: 'router',
      strategy: this.strategy.name,
      capabilities: unionCapabilities(children.map((child) => child.capabilities)),
      children,
    };
  }

  /**
   * The ordered candidates for a payment, children with an open breaker left out. Calls no child,
   * except for the quotes of a strategy that plans with them (`lowest-cost`). Without a pinned
   * payment id (`options.pinned` false: a preview), a split-by-id strategy lists its children by share.
   */
  async plan(facts: RoutingFacts, ctx: NodeContext, options: PreviewOptions = PINNED): Promise<RouterPlan> {
    const fitted: FittedChild[] = this.kids.map((node) => ({
      node,
      misfit: capabilityMisfit(node.id, node.describe().capabilities, facts),
      admitted: this.breakers.get(node.id)!.admits(),
    }));
    const quotes = this.strategy.needsQuotes ? await this.quotesOf(fitted, facts, ctx) : undefined;
    const planned = !options.pinned && this.strategy.expectedPlan ? this.strategy.expectedPlan(facts, fitted) : this.strategy.plan(facts, fitted, quotes);
    const candidates: RouteCandidate[] = [];
    const broken: string[] = [];
    let notes: string[] = [];
    for (const candidate of planned.candidates) {
      if (!this.breakers.get(candidate.node.id)!.admits()) {
        broken.push(candidate.node.id);
        notes.push(`${candidate.node.id}: breaker open`);
        continue;
      }
      candidates.push(notes.length > 0 ? { ...candidate, reason: `${candidate.reason} (after ${notes.join(', ')})` } : candidate);
      notes = [];
    }
    const skipped = this.skippedOf(fitted, candidates, quotes);
    if (candidates.length > 0) return { candidates, code: null, skipped };
    const fits = fitted.some((child) => !child.misfit);
    if (broken.length > 0 || (fits && this.strategy.needsQuotes)) {
      const why = broken.length > 0 ? `every candidate's breaker is open (${broken.join(', ')})` : planned.none;
      return { candidates, none: why ?? 'no candidates', code: 'provider_unavailable', skipped };
    }
    const currency = facts.currency.toUpperCase();
    const anyTakesCurrency = this.kids.some((node) => node.describe().capabilities.currencies.includes(currency));
    return { candidates, none: planned.none, code: anyTakesCurrency ? 'no_route' : 'currency_not_supported', skipped };
  }

  async authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const facts = routingFactsOf(request);
    const plan = await this.plan(facts, ctx);
    if (plan.candidates.length === 0) {
      // Out of time before any child was asked (e.g. while quoting): nothing was sent anywhere.
      const timedOut = ctx.signal.aborted;
      return {
        outcome: 'failed',
        code: timedOut ? 'provider_timeout' : plan.code,
        message: timedOut
          ? `router ${this.id} ran out of time before trying any child`
          : `router ${this.id} found no route: ${plan.none ?? 'no candidates'}`,
        retryable: true,
        providerReference: null,
        path: [this.id],
        amountCaptured: 0,
        attempts: [],
      };
    }
    const settings = {
      routerId: this.id,
      timeoutMs: this.timeoutMs,
      statusTimeoutMs: this.statusTimeoutMs,
      breakerOf: (child: GatewayNode) => this.breakers.get(child.id),
      cascade: this.cascade,
      ...(this.strategy.observe && { observe: (child: GatewayNode, outcome: AuthorizeOutcome) => this.strategy.observe!(facts, child.id, outcome.outcome, outcome.code) }),
    };
    return authorizeWithFailover(plan.candidates, request, ctx, settings);
  }

  capture(request: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome> {
    const routed = this.route(request);
    if ('problem' in routed) return Promise.resolve(operationRefused(routed.problem));
    return inChildContext(ctx, this.timeoutMs, (child) => routed.child.capture({ ...request, path: routed.path }, child));
  }

  void(request: VoidRequest, ctx: NodeContext): Promise<OperationOutcome> {
    const routed = this.route(request);
    if ('problem' in routed) return Promise.resolve(operationRefused(routed.problem));
    return inChildContext(ctx, this.timeoutMs, (child) => routed.child.void({ ...request, path: routed.path }, child));
  }

  refund(request: RefundRequest, ctx: NodeContext): Promise<OperationOutcome> {
    const routed = this.route(request);
    if ('problem' in routed) return Promise.resolve(operationRefused(routed.problem));
    return inChildContext(ctx, this.timeoutMs, (child) => routed.child.refund({ ...request, path: routed.path }, child));
  }

  /** A bad path answers `unknown` (never `not_found`, which would claim nothing was charged). */
  async status(request: StatusRequest, ctx: NodeContext): Promise<StatusOutcome> {
    const routed = this.route(request);
    if ('problem' in routed) {
      ctx.logger.warn('status inquiry with a bad path', { router: this.id, problem: routed.problem });
      return statusWithoutMoney('unknown', 'processing_error');
    }
    return inChildContext(ctx, this.timeoutMs, (child) => routed.child.status({ ...request, path: routed.path }, child));
  }

  /** Down the recorded path like `status`: the attempt is bound to the leaf that asked for the shopper. */
  async completeAction(request: CompleteActionRequest, ctx: NodeContext): Promise<StatusOutcome> {
    const routed = this.route(request);
    if ('problem' in routed) {
      ctx.logger.warn('action completion with a bad path', { router: this.id, problem: routed.problem });
      return statusWithoutMoney('unknown', 'processing_error');
    }
    return inChildContext(ctx, this.timeoutMs, (child) => routed.child.completeAction({ ...request, path: routed.path }, child));
  }

  /**
   * To the child whose subtree holds the node, wherever it is below. Not gated by the breakers: a
   * provider's message must reach its leaf even while that child's breaker keeps payments away (the
   * breaker guards new payments; a notification is about money already in motion). When no child is
   * known to hold it, the remote subtrees never described yet are asked. Routers take none themselves.
   */
  async parseNotification(notification: ProviderNotification, ctx: NodeContext): Promise<NotificationAnswer> {
    const { nodeId } = notification;
    if (nodeId === this.id) return { ok: false, reason: 'unknown_node', message: `${nodeId} is a router: it takes no provider notifications` };
    const reaches = this.kids.map((child) => ({ child, reach: reachOf(child, nodeId) }));
    const holder = reaches.find((child) => child.reach === 'yes');
    if (holder) return forwardNotification(holder.child, notification, ctx, this.timeoutMs);
    const maybe = reaches.filter((child) => child.reach === 'maybe');
    const none = notForThisNode(this.id, nodeId);
    if (maybe.length === 0) return none;
    return firstKnowing(await Promise.all(maybe.map(({ child }) => forwardNotification(child, notification, ctx, this.timeoutMs))), none);
  }

  /** The quote of the child the payment would reach: the cheapest one under `lowest-cost`. */
  async quote(request: QuoteRequest, ctx: NodeContext): Promise<Quote> {
    const plan = await this.plan(request, ctx);
    if (plan.candidates.length === 0) {
      return { eligible: false, fee: 0, path: [this.id], reason: `router ${this.id}: ${plan.none ?? 'no candidates'}` };
    }
    return quoteCandidates(this.id, plan.candidates, request, ctx, this.quoteTimeoutMs);
  }

  async preview(facts: RoutingFacts, ctx: NodeContext, options: PreviewOptions = PINNED): Promise<RoutePreview> {
    const plan = await this.plan(facts, ctx, options);
    const skipped = plan.skipped.map((skip) => ({ path: [this.id, skip.node.id], reason: skip.reason }));
    if (plan.candidates.length === 0) skipped.push({ path: [this.id], reason: `router ${this.id}: ${plan.none ?? 'no candidates'}` });
    const expanded = await previewCandidates(plan.candidates, facts, ctx, options, {
      routerId: this.id,
      timeoutMs: this.timeoutMs,
      quoteTimeoutMs: this.quoteTimeoutMs,
      breakerOf: (child) => this.breakers.get(child.id)?.state ?? null,
    });
    return { candidates: expanded.candidates, skipped: [...skipped, ...expanded.skipped] };
  }

  /** The children's health, each seen through its breaker: an open breaker makes the child down. */
  health(ctx: NodeContext): Promise<HealthReport> {
    return aggregateHealth(this.id, this.kids, ctx, this.timeoutMs, (child, report) => {
      const state = this.breakers.get(child.id)!.state;
      if (state === 'closed') return report;
      const detail = [report.detail, `breaker ${state.replace('_', '-')}`].filter(Boolean).join('; ');
      const status = state === 'open' ? 'down' : report.status === 'up' ? 'degraded' : report.status;
      return { ...report, status, detail };
    });
  }

  /** Quotes of the children that fit; one whose breaker is open is not asked (its quote says so). */
  private async quotesOf(fitted: readonly FittedChild[], facts: RoutingFacts, ctx: NodeContext): Promise<ChildQuotes> {
    const fitting = fitted.filter((child) => !child.misfit).map((child) => child.node);
    const askable = fitting.filter((node) => this.breakers.get(node.id)!.admits());
    const quotes = await gatherQuotes(askable, facts, ctx, this.quoteTimeoutMs);
    const broken = fitting.filter((node) => !askable.includes(node));
    return new Map<string, Quote>([
      ...askable.map((node, index): [string, Quote] => [node.id, quotes[index]!]),
      ...broken.map((node): [string, Quote] => [node.id, { eligible: false, fee: 0, path: [node.id], reason: `${node.id}: breaker open` }]),
    ]);
  }

  private skippedOf(fitted: readonly FittedChild[], candidates: readonly RouteCandidate[], quotes: ChildQuotes | undefined): PlanSkip[] {
    const chosen = new Set(candidates.map((candidate) => candidate.node));
    return fitted
      .filter((child) => !chosen.has(child.node))
      .map(({ node, misfit }) => {
        const quote = quotes?.get(node.id);
        const breakerOpen = !this.breakers.get(node.id)!.admits();
        const reason = misfit ?? (breakerOpen ? 'breaker open' : quote && !quote.eligible ? quote.reason : `not chosen by ${this.strategy.name}`);
        return { node, reason };
      });
  }

  private route({ path }: AttemptAddress): Routed {
    const shown = path.join('/') || '(empty)';
    if (path[0] !== this.id) return { problem: `path ${shown} does not start at router ${this.id}` };
    if (path.length < 2) return { problem: `path ${shown} ends at router ${this.id} instead of a leaf` };
    const child = this.byId.get(path[1]!);
    if (!child) return { problem: `router ${this.id} has no child ${path[1]} (path ${shown})` };
    return { child, path: path.slice(1) };
  }
}

function operationRefused(message: string): OperationOutcome {
  return { outcome: 'failed', code: 'processing_error', message, providerReference: null };
}
