import { DEFAULT_SIMULATOR_OPTIONS, SimulatorNode } from '#adapters/simulator';
import {
  contextWithTimeout,
  notSupported,
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
  type StatusOutcome,
  type StatusRequest,
  type UnifiedCode,
  type VoidRequest,
} from '#gateway-spi';

/**
 * Deliberately broken nodes: a correct sandbox leaf with one defect each, so the contract suite's
 * own tests can show that it catches the defect. Test doubles, not adapters.
 */
class DelegatingNode implements GatewayNode {
  constructor(protected readonly inner: GatewayNode) {}

  get id(): string {
    return this.inner.id;
  }

  describe(): NodeDescriptor {
    return this.inner.describe();
  }

  authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    return this.inner.authorize(request, ctx);
  }

  capture(request: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.inner.capture(request, ctx);
  }

  void(request: VoidRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.inner.void(request, ctx);
  }

  refund(request: RefundRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.inner.refund(request, ctx);
  }

  status(request: StatusRequest, ctx: NodeContext): Promise<StatusOutcome> {
    return this.inner.status(request, ctx);
  }

  quote(request: QuoteRequest, ctx: NodeContext): Promise<Quote> {
    return this.inner.quote(request, ctx);
  }

  health(ctx: NodeContext): Promise<HealthReport> {
    return this.inner.health(ctx);
  }
}

export const sandboxLeaf = (id = 'leaf') => new SimulatorNode(id, { ...DEFAULT_SIMULATOR_OPTIONS, currencies: [...DEFAULT_SIMULATOR_OPTIONS.currencies] });

/** Sends the provider a fresh idempotency key on every call, so a replayed attempt charges again. */
export class DoubleChargingNode extends DelegatingNode {
  private readonly calls = new Map<string, number>();

  private providerKey(attemptId: string, call: number): string {
    return call === 1 ? attemptId : `${attemptId}_retry${call}`;
  }

  override async authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const call = (this.calls.get(request.attemptId) ?? 0) + 1;
    this.calls.set(request.attemptId, call);
    const outcome = await this.inner.authorize({ ...request, attemptId: this.providerKey(request.attemptId, call) }, ctx);
    return { ...outcome, attempts: outcome.attempts.map((attempt) => ({ ...attempt, attemptId: request.attemptId })) };
  }

  /** Finds every charge made for the attempt, as a provider search by the attempt id would. */
  override async status(request: StatusRequest, ctx: NodeContext): Promise<StatusOutcome> {
    const calls = this.calls.get(request.attemptId) ?? 1;
    const keys = Array.from({ length: calls }, (_, i) => this.providerKey(request.attemptId, i + 1));
    const all = await Promise.all(keys.map((attemptId) => this.inner.status({ ...request, attemptId }, ctx)));
    const sum = (field: 'amountAuthorized' | 'amountCaptured' | 'amountRefunded') => all.reduce((total, status) => total + status[field], 0);
    return { ...all[0]!, amountAuthorized: sum('amountAuthorized'), amountCaptured: sum('amountCaptured'), amountRefunded: sum('amountRefunded') };
  }
}

/** Reports a decline as an approval. */
export class ApprovesDeclinedNode extends DelegatingNode {
  override async authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const outcome = await this.inner.authorize(request, ctx);
    if (outcome.outcome !== 'declined') return outcome;
    const approved = { outcome: 'approved' as const, code: null };
    return { ...outcome, ...approved, message: null, attempts: outcome.attempts.map((attempt) => ({ ...attempt, ...approved })) };
  }
}

/** Calls the provider with its own long timeout instead of the caller's deadline. */
export class IgnoresDeadlineNode extends DelegatingNode {
  override authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    return this.inner.authorize(request, contextWithTimeout(3000, { traceId: ctx.traceId, logger: ctx.logger }));
  }
}

/** Puts the card number into the outcome's message. */
export class LeaksNumberInOutcomeNode extends DelegatingNode {
  override async authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const outcome = await this.inner.authorize(request, ctx);
    return { ...outcome, message: `${outcome.outcome} for card ${request.paymentMethod.card.number}` };
  }
}

/** Logs the request's card as it came, number and CVC included. */
export class LogsCardNode extends DelegatingNode {
  override authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    ctx.logger.debug('authorize', { attemptId: request.attemptId, card: request.paymentMethod.card });
    return this.inner.authorize(request, ctx);
  }
}

/** Passes the provider's own decline code through instead of a unified code. */
export class ProviderCodesNode extends DelegatingNode {
  override async authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const outcome = await this.inner.authorize(request, ctx);
    return outcome.outcome === 'declined' ? { ...outcome, code: 'generic_decline' as UnifiedCode } : outcome;
  }
}

/** Throws a "TODO" instead of answering an outcome. */
export class ThrowsTodoNode extends DelegatingNode {
  override void(): Promise<OperationOutcome> {
    throw new Error('TODO: void');
  }
}

/** A leaf without void, which answers it with an explicit "not supported". */
export class NoVoidNode extends DelegatingNode {
  override void(): Promise<OperationOutcome> {
    return Promise.resolve(notSupported(this.id, 'void'));
  }
}
