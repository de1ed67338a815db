import {
  contextWithTimeout,
  silentLogger,
  type AttemptAddress,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type CaptureRequest,
  type CompleteActionRequest,
  type FaultChange,
  type FaultSpec,
  type GatewayNode,
  type HealthReport,
  type MarketChange,
  type MarketSpec,
  type NodeContext,
  type NodeDescriptor,
  type NodeLogger,
  notForThisNode,
  type NotificationAnswer,
  type OperationOutcome,
  type ProviderNotification,
  type Quote,
  type QuoteRequest,
  type RefundRequest,
  type StatusOutcome,
  type StatusRequest,
  type SubtreeOps,
  type VoidRequest,
} from '#gateway-spi';
import { prefixOutcome } from '#orchestration';
import type { FaultRequest, MarketRequest, RemoteOperation } from '../wire/protocol.js';
import { describeTarget, type RemoteTarget } from '../wire/remote-target.js';
import { DescribedSubtree, noCapabilities } from './described-subtree.js';
import { RemoteChannel } from './node-host-channel.js';
import {
  isAuthorizeOutcome,
  isFaultReply,
  isHealthReply,
  isMarketReply,
  isNotificationAnswer,
  isOperationOutcome,
  isQuote,
  isStatusOutcome,
  isSubtreeDescription,
} from './reply-shapes.js';
import { unansweredAuthorize, unansweredOperation, unansweredStatus, type Unanswered } from './unanswered-outcomes.js';

export const DEFAULT_DESCRIBE_TIMEOUT_MS = 2_000;
export const DEFAULT_REFRESH_AFTER_MS = 30_000;
export const DEFAULT_RETRY_AFTER_MS = 1_000;

export interface RemoteNodeSettings {
  id: string;
  target: RemoteTarget;
  logger?: NodeLogger;
  /** Budget of describe and fault calls (ops calls, which move no money). */
  describeTimeoutMs?: number;
  /** Age after which `describe()` refreshes a known description in the background. */
  refreshAfterMs?: number;
  /** Pause between background attempts to describe a subtree never reached yet. */
  retryAfterMs?: number;
}

type Answer<T> = { ok: true; value: T } | { ok: false; failure: Unanswered };

/**
 * A proxy for a subtree served by a node-host in another process (`apps/node-host`), reached over
 * @nestjs/microservices (TCP or NATS). Its id is part of route paths (`root/…/<remote>/…/leaf`):
 * outcomes come back with it prefixed, follow-ups have it stripped before they are sent. Every call
 * carries the remaining deadline, which both sides enforce, and the trace id; failures come back as
 * normalized outcomes: never delivered → failed and retryable, sent but unanswered → unknown.
 */
export class RemoteNode implements GatewayNode {
  readonly id: string;
  readonly subtreeOps: SubtreeOps;
  private readonly channel: RemoteChannel;
  private readonly subtree = new DescribedSubtree();
  private readonly logger: NodeLogger;
  private readonly boundary: { transport: string; target: string };
  private readonly describeTimeoutMs: number;
  private readonly refreshAfterMs: number;
  private readonly retryAfterMs: number;
  private refreshing: Promise<boolean> | null = null;
  private lastRefreshAt = Number.NEGATIVE_INFINITY;
  private reachable: boolean | null = null;
  private closed = false;

  constructor(settings: RemoteNodeSettings) {
    this.id = settings.id;
    this.boundary = { transport: settings.target.transport, target: describeTarget(settings.target) };
    this.channel = new RemoteChannel(settings.target, `canopy-remote-${settings.id}`);
    this.logger = settings.logger ?? silentLogger;
    this.describeTimeoutMs = settings.describeTimeoutMs ?? DEFAULT_DESCRIBE_TIMEOUT_MS;
    this.refreshAfterMs = settings.refreshAfterMs ?? DEFAULT_REFRESH_AFTER_MS;
    this.retryAfterMs = settings.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
    this.subtreeOps = {
      has: (nodeId) => this.subtree.has(nodeId),
      faults: () => this.subtree.faults,
      setFault: (nodeId, fault) => this.changeFault(nodeId, fault),
      clearFault: (nodeId) => this.changeFault(nodeId, null),
      markets: {
        markets: () => this.subtree.markets,
        setMarket: (nodeId, market) => this.changeMarket(nodeId, market),
        resetMarket: (nodeId) => this.changeMarket(nodeId, null),
      },
    };
  }

  /** The remote subtree as last described (a placeholder that takes nothing until first reached). */
  describe(): NodeDescriptor {
    this.refreshWhenStale();
    const described = this.subtree.descriptor;
    return {
      id: this.id,
      kind: 'remote',
      type: 'remote',
      capabilities: described ? described.capabilities : noCapabilities(),
      children: described ? [described] : [],
      boundary: { ...this.boundary, describedAt: this.subtree.describedAt?.toISOString() ?? null },
    };
  }

  /** Connects and fetches the subtree's description; an unreachable node-host is logged, not fatal. */
  async open(): Promise<void> {
    await this.refresh();
  }

  /** Requests sent to the node-host so far, and those still waiting for an answer (observability). */
  traffic(): { sent: number; inFlight: number } {
    return this.channel.traffic();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.channel.close();
  }

  async authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const started = performance.now();
    const answer = await this.ask('authorize', request, ctx, isAuthorizeOutcome);
    if (answer.ok) return prefixOutcome(answer.value, this.id, '');
    const latencyMs = Math.round(performance.now() - started);
    const outcome = unansweredAuthorize(this.id, request, answer.failure, this.channel.target, latencyMs);
    ctx.logger.warn('remote authorize unanswered', { node: this.id, attemptId: request.attemptId, outcome: outcome.outcome, why: outcome.message });
    return outcome;
  }

  capture(request: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate('capture', request, ctx);
  }

  void(request: VoidRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate('void', request, ctx);
  }

  refund(request: RefundRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate('refund', request, ctx);
  }

  /** A bad path or no answer is `unknown`, never `not_found` (which would claim nothing was charged). */
  status(request: StatusRequest, ctx: NodeContext): Promise<StatusOutcome> {
    return this.inquire('status', request, ctx);
  }

  /** Like `status`: a bad path or no answer is `unknown` (the root asks again later). */
  completeAction(request: CompleteActionRequest, ctx: NodeContext): Promise<StatusOutcome> {
    return this.inquire('complete-action', request, ctx);
  }

  /**
   * Sent on when the node lives in the subtree, or when the subtree was never described (only its
   * node-host knows). No answer is `unreachable`: nothing was applied, the provider sends it again.
   */
  async parseNotification(notification: ProviderNotification, ctx: NodeContext): Promise<NotificationAnswer> {
    const { nodeId } = notification;
    if (nodeId === this.id) return { ok: false, reason: 'unknown_node', message: `${nodeId} is a remote subtree: it takes no provider notifications itself` };
    if (this.subtree.descriptor && !this.subtree.has(nodeId)) return notForThisNode(this.id, nodeId);
    const answer = await this.ask('notification', notification, ctx, isNotificationAnswer);
    if (answer.ok) return answer.value;
    const message = `remote ${this.channel.target}: ${reasonOf(answer.failure)}; the notification for ${nodeId} was not taken, the provider should send it again`;
    ctx.logger.warn('remote notification unanswered', { node: this.id, nodeId, why: message });
    return { ok: false, reason: 'unreachable', message };
  }

  async quote(request: QuoteRequest, ctx: NodeContext): Promise<Quote> {
    const answer = await this.ask('quote', request, ctx, isQuote);
    if (answer.ok) return { ...answer.value, path: [this.id, ...answer.value.path] };
    return { eligible: false, fee: 0, path: [this.id], reason: `${this.id}: ${reasonOf(answer.failure)}` };
  }

  /** The subtree's health under this node; refreshes the cached description on the way. */
  async health(ctx: NodeContext): Promise<HealthReport> {
    const answer = await this.ask('health', {}, ctx, isHealthReply);
    if (!answer.ok) return { id: this.id, status: 'down', detail: `${this.channel.target}: ${reasonOf(answer.failure)}` };
    this.remember(answer.value.described);
    const { report } = answer.value;
    return { id: this.id, status: report.status, ...(report.partial ? { partial: true } : {}), children: [report] };
  }

  private async inquire(operation: 'status' | 'complete-action', request: AttemptAddress, ctx: NodeContext): Promise<StatusOutcome> {
    const inner = this.inward(request);
    if (typeof inner === 'string') {
      return unansweredStatus({ kind: 'refused', error: { kind: 'bad_request', message: inner } }, this.channel.target);
    }
    const answer = await this.ask(operation, inner, ctx, isStatusOutcome);
    return answer.ok ? answer.value : unansweredStatus(answer.failure, this.channel.target);
  }

  private async operate(operation: 'capture' | 'void' | 'refund', request: AttemptAddress, ctx: NodeContext): Promise<OperationOutcome> {
    const inner = this.inward(request);
    if (typeof inner === 'string') return { outcome: 'failed', code: 'processing_error', message: inner, providerReference: null };
    const answer = await this.ask(operation, inner, ctx, isOperationOutcome);
    return answer.ok ? answer.value : unansweredOperation(answer.failure, this.channel.target);
  }

  /** The request as the subtree sees it: this node's id stripped from the front of the path. */
  private inward<T extends AttemptAddress>(request: T): T | string {
    if (request.path[0] !== this.id) return `path ${request.path.join('/') || '(empty)'} does not start at remote ${this.id}`;
    return { ...request, path: request.path.slice(1) };
  }

  private async ask<T>(operation: RemoteOperation, body: unknown, ctx: NodeContext, isExpected: (value: unknown) => value is T): Promise<Answer<T>> {
    const exchange = await this.channel.call<unknown>(operation, body, ctx);
    if (exchange.kind !== 'reply') return { ok: false, failure: exchange };
    if (isExpected(exchange.value)) return { ok: true, value: exchange.value };
    return { ok: false, failure: { kind: 'refused', error: { kind: 'node_error', message: `the ${operation} answer has an unexpected shape` } } };
  }

  private async changeFault(nodeId: string, fault: FaultSpec | null): Promise<FaultChange> {
    const body: FaultRequest = { nodeId, fault };
    const ctx = contextWithTimeout(this.describeTimeoutMs, { traceId: `ops-fault-${nodeId}`, logger: this.logger });
    const answer = await this.ask(fault ? 'set-fault' : 'clear-fault', body, ctx, isFaultReply);
    if (!answer.ok) return { ok: false, reason: 'unreachable', message: `${this.channel.target}: ${reasonOf(answer.failure)}` };
    if (answer.value.ok) this.subtree.rememberFault(nodeId, answer.value.fault);
    return answer.value;
  }

  private async changeMarket(nodeId: string, market: MarketSpec | null): Promise<MarketChange> {
    const body: MarketRequest = { nodeId, market };
    const ctx = contextWithTimeout(this.describeTimeoutMs, { traceId: `ops-market-${nodeId}`, logger: this.logger });
    const answer = await this.ask(market ? 'set-market' : 'reset-market', body, ctx, isMarketReply);
    if (!answer.ok) return { ok: false, reason: 'unreachable', message: `${this.channel.target}: ${reasonOf(answer.failure)}` };
    if (answer.value.ok) this.subtree.rememberMarket(nodeId, answer.value.market);
    return answer.value;
  }

  private remember(description: Parameters<DescribedSubtree['remember']>[0]): void {
    this.subtree.remember(description);
    if (this.reachable !== true) this.logger.info('remote subtree described', { node: this.id, target: this.channel.target, top: description.descriptor.id });
    this.reachable = true;
  }

  private refreshWhenStale(): void {
    if (this.closed || this.refreshing) return;
    const wait = this.subtree.describedAt ? this.refreshAfterMs : this.retryAfterMs;
    if (Date.now() - this.lastRefreshAt >= wait) void this.refresh();
  }

  /** One describe call at a time; resolves true when the subtree answered. */
  private refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      this.lastRefreshAt = Date.now();
      const ctx = contextWithTimeout(this.describeTimeoutMs, { traceId: `describe-${this.id}`, logger: this.logger });
      const answer = await this.ask('describe', {}, ctx, isSubtreeDescription);
      if (answer.ok) {
        this.remember(answer.value);
        return true;
      }
      if (this.reachable !== false) {
        this.logger.warn('remote subtree unreachable', { node: this.id, target: this.channel.target, why: reasonOf(answer.failure), describedBefore: this.subtree.describedAt !== null });
      }
      this.reachable = false;
      return false;
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }
}

function reasonOf(failure: Unanswered): string {
  return failure.kind === 'refused' ? `${failure.error.kind}: ${failure.error.message}` : failure.why;
}
