import {
  childContext,
  type AttemptAddress,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type CaptureRequest,
  type GatewayNode,
  type HealthReport,
  type NodeContext,
  type NodeDescriptor,
  type OperationOutcome,
  type Quote,
  type QuoteRequest,
  type RefundRequest,
  type RoutingFacts,
  type StatusOutcome,
  type StatusRequest,
  type UnifiedCode,
  type VoidRequest,
} from '#gateway-spi';
import { capabilityMisfit, unionCapabilities } from './capabilities.js';
import { authorizeWithFailover } from './failover.js';
import { aggregateHealth } from './health.aggregate.js';
import { quoteCandidates } from './quote.aggregate.js';
import { routingFactsOf } from './routing-facts.js';
import type { RoutePlan, RoutingStrategy } from './strategies/strategy.js';

export const DEFAULT_TIMEOUT_MS = 3000;
export const DEFAULT_STATUS_TIMEOUT_MS = 1000;

export interface RouterNodeSettings {
  id: string;
  strategy: RoutingStrategy;
  children: readonly GatewayNode[];
  /** Budget of one child call (authorize, follow-ups, quote, health). */
  timeoutMs?: number;
  /** Budget of the status inquiry after a child's unknown outcome. */
  statusTimeoutMs?: number;
}

/** A plan with the unified code to answer when it has no candidates. */
export type RouterPlan = RoutePlan & { code: UnifiedCode | null };

type Routed = { child: GatewayNode; path: string[] } | { problem: string };

/** A composite node: plans with its strategy, walks the plan with failover, forwards follow-ups down the path. */
export class RouterNode implements GatewayNode {
  readonly id: string;
  readonly timeoutMs: number;
  readonly statusTimeoutMs: number;
  private readonly strategy: RoutingStrategy;
  private readonly kids: readonly GatewayNode[];
  private readonly byId: ReadonlyMap<string, GatewayNode>;

  constructor(settings: RouterNodeSettings) {
    this.id = settings.id;
    this.strategy = settings.strategy;
    this.kids = [...settings.children];
    this.byId = new Map(this.kids.map((child) => [child.id, child]));
    if (this.byId.size !== this.kids.length) throw new Error(`router ${this.id}: child ids must be unique`);
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.statusTimeoutMs = settings.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS;
  }

  children(): readonly GatewayNode[] {
    return this.kids;
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

  /** The ordered candidates for a payment, without calling any child (routing preview). */
  plan(facts: RoutingFacts): RouterPlan {
    const fitted = this.kids.map((node) => ({ node, misfit: capabilityMisfit(node.id, node.describe().capabilities, facts) }));
    const plan = this.strategy.plan(facts, fitted);
    if (plan.candidates.length > 0) return { ...plan, code: null };
    const currency = facts.currency.toUpperCase();
    const anyTakesCurrency = this.kids.some((node) => node.describe().capabilities.currencies.includes(currency));
    return { ...plan, code: anyTakesCurrency ? 'no_route' : 'currency_not_supported' };
  }

  async authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const plan = this.plan(routingFactsOf(request));
    if (plan.candidates.length === 0) {
      return {
        outcome: 'failed',
        code: plan.code,
        message: `router ${this.id} found no route: ${plan.none ?? 'no candidates'}`,
        retryable: true,
        providerReference: null,
        path: [this.id],
        amountCaptured: 0,
        attempts: [],
      };
    }
    const settings = { routerId: this.id, timeoutMs: this.timeoutMs, statusTimeoutMs: this.statusTimeoutMs };
    return authorizeWithFailover(plan.candidates, request, ctx, settings);
  }

  capture(request: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome> {
    const routed = this.route(request);
    if ('problem' in routed) return Promise.resolve(operationRefused(routed.problem));
    return routed.child.capture({ ...request, path: routed.path }, childContext(ctx, this.timeoutMs));
  }

  void(request: VoidRequest, ctx: NodeContext): Promise<OperationOutcome> {
    const routed = this.route(request);
    if ('problem' in routed) return Promise.resolve(operationRefused(routed.problem));
    return routed.child.void({ ...request, path: routed.path }, childContext(ctx, this.timeoutMs));
  }

  refund(request: RefundRequest, ctx: NodeContext): Promise<OperationOutcome> {
    const routed = this.route(request);
    if ('problem' in routed) return Promise.resolve(operationRefused(routed.problem));
    return routed.child.refund({ ...request, path: routed.path }, childContext(ctx, this.timeoutMs));
  }

  /** A bad path answers `unknown` (never `not_found`, which would claim nothing was charged). */
  async status(request: StatusRequest, ctx: NodeContext): Promise<StatusOutcome> {
    const routed = this.route(request);
    if ('problem' in routed) {
      ctx.logger.warn('status inquiry with a bad path', { router: this.id, problem: routed.problem });
      return { state: 'unknown', code: 'processing_error', providerReference: null, amountAuthorized: 0, amountCaptured: 0, amountRefunded: 0, voided: false };
    }
    return routed.child.status({ ...request, path: routed.path }, childContext(ctx, this.timeoutMs));
  }

  quote(request: QuoteRequest, ctx: NodeContext): Promise<Quote> {
    const plan = this.plan(request);
    if (plan.candidates.length === 0) {
      return Promise.resolve({ eligible: false, fee: 0, path: [this.id], reason: `router ${this.id}: ${plan.none ?? 'no candidates'}` });
    }
    return quoteCandidates(this.id, plan.candidates, request, ctx, this.timeoutMs);
  }

  health(ctx: NodeContext): Promise<HealthReport> {
    return aggregateHealth(this.id, this.kids, ctx, this.timeoutMs);
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
