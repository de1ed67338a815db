import { createHmac, timingSafeEqual } from 'node:crypto';
import { DEFAULT_SIMULATOR_OPTIONS, SimulatorNode } from '#adapters/simulator';
import {
  contextWithTimeout,
  notForThisNode,
  notSupported,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type CaptureRequest,
  type CompleteActionRequest,
  type GatewayNode,
  type HealthReport,
  type NodeContext,
  type NodeDescriptor,
  type NotificationAnswer,
  type NotificationFact,
  type NotificationSample,
  type OperationOutcome,
  type ProviderNotification,
  type Quote,
  type QuoteRequest,
  type RefundRequest,
  type SignedNotification,
  type StatusOutcome,
  type StatusRequest,
  type UnifiedCode,
  type VoidRequest,
} from '#gateway-spi';

/**
 * Deliberately broken nodes: a correct sandbox leaf with one defect each, so the contract suite's
 * own tests can show that it catches the defect. Test doubles, not adapters.
 */
export class DelegatingNode implements GatewayNode {
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

  completeAction(request: CompleteActionRequest, ctx: NodeContext): Promise<StatusOutcome> {
    return this.inner.completeAction(request, ctx);
  }

  parseNotification(notification: ProviderNotification, ctx: NodeContext): Promise<NotificationAnswer> {
    return this.inner.parseNotification(notification, ctx);
  }

  async open(): Promise<void> {
    await this.inner.open?.();
  }

  async close(): Promise<void> {
    await this.inner.close?.();
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

/** Takes a challenge for a retryable failure, as a router that fails over from requires_action would see it. */
export class DropsChallengeNode extends DelegatingNode {
  override async authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const outcome = await this.inner.authorize(request, ctx);
    if (outcome.outcome !== 'requires_action') return outcome;
    const failed = { outcome: 'failed' as const, code: 'authentication_required' as const };
    return { ...outcome, ...failed, retryable: true, nextAction: null, attempts: outcome.attempts.map((attempt) => ({ ...attempt, ...failed })) };
  }
}

/** Approves a waiting attempt as soon as anyone asks to complete it, whether the shopper authenticated or not. */
export class CompletesWithoutShopperNode extends DelegatingNode {
  override async completeAction(request: CompleteActionRequest, ctx: NodeContext): Promise<StatusOutcome> {
    const status = await this.inner.completeAction(request, ctx);
    if (status.state !== 'requires_action') return status;
    return { ...status, state: 'approved', code: null, amountAuthorized: 1000, nextAction: null };
  }
}

/**
 * A toy provider's notifications: a JSON body signed by an HMAC of it in `x-toy-signature`, as the
 * contract provider of a type that takes notifications writes them (`StartedContractProvider.notification`).
 */
const TOY_SECRET = 'toy-notification-secret';
const signature = (body: string) => createHmac('sha256', TOY_SECRET).update(body).digest('hex');

export function writeToyNotification(sample: NotificationSample): SignedNotification {
  const body = JSON.stringify({
    id: sample.eventId,
    type: sample.kind,
    attempt: sample.attemptId,
    reference: sample.providerReference,
    operation: sample.operationId ?? null,
    amount: { value: sample.amount, currency: sample.currency },
  });
  return { body, headers: { 'content-type': 'application/json', 'x-toy-signature': signature(body) } };
}

interface ToyEvent {
  id: string;
  type: NotificationFact['kind'];
  attempt: string;
  reference: string | null;
  operation: string | null;
  amount: { value: number; currency: string };
}

/** A sandbox leaf that takes the toy provider's notifications: the sound control of the notification checks. */
export class NotifiedLeaf extends DelegatingNode {
  override async parseNotification(notification: ProviderNotification): Promise<NotificationAnswer> {
    if (notification.nodeId !== this.id) return notForThisNode(this.id, notification.nodeId);
    if (!this.verifies(notification)) return { ok: false, reason: 'bad_signature', message: 'the toy signature does not verify' };
    let event: ToyEvent;
    try {
      event = JSON.parse(notification.body) as ToyEvent;
    } catch {
      return { ok: false, reason: 'malformed', message: 'the body is not JSON' };
    }
    return { ok: true, facts: [this.fact(event)], reply: { status: 200, contentType: 'text/plain', body: 'ok' } };
  }

  protected verifies(notification: ProviderNotification): boolean {
    const given = Buffer.from(notification.headers['x-toy-signature'] ?? '', 'hex');
    const expected = Buffer.from(signature(notification.body), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  protected fact(event: ToyEvent): NotificationFact {
    return {
      eventId: event.id,
      kind: event.type,
      attemptId: event.attempt,
      operationId: event.operation,
      providerReference: event.reference,
      amount: event.amount.value,
      currency: event.amount.currency,
      code: null,
      message: null,
    };
  }
}

/** Trusts any body: never checks the signature. */
export class AcceptsTamperedNotificationNode extends NotifiedLeaf {
  protected override verifies(): boolean {
    return true;
  }
}

/** Takes every notification as its own, whichever node it was posted for. */
export class ClaimsEveryNotificationNode extends NotifiedLeaf {
  override parseNotification(notification: ProviderNotification): Promise<NotificationAnswer> {
    return super.parseNotification({ ...notification, nodeId: this.id });
  }
}

/** Gives each parse of a message a new event id, so the root could apply the same fact twice. */
export class FreshEventIdsNode extends NotifiedLeaf {
  private parses = 0;

  protected override fact(event: ToyEvent): NotificationFact {
    return { ...super.fact(event), eventId: `${event.id}_${++this.parses}` };
  }
}

/** A provider that confirms captures, voids and refunds later: it accepts them as pending. */
export class ConfirmsLaterNode extends NotifiedLeaf {
  override async capture(request: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return pendingWhenAccepted(await this.inner.capture(request, ctx));
  }

  override async void(request: VoidRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return pendingWhenAccepted(await this.inner.void(request, ctx));
  }

  override async refund(request: RefundRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return pendingWhenAccepted(await this.inner.refund(request, ctx));
  }
}

const pendingWhenAccepted = (outcome: OperationOutcome): OperationOutcome =>
  outcome.outcome === 'succeeded' ? { ...outcome, outcome: 'pending', message: 'accepted; confirmed by notification' } : outcome;

/** Answers a capture pending, then reports the authorization voided: status contradicts the capture it accepted. */
export class VoidsPendingCaptureNode extends ConfirmsLaterNode {
  private readonly captured = new Set<string>();

  override async capture(request: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome> {
    const outcome = await super.capture(request, ctx);
    if (outcome.outcome === 'pending') this.captured.add(request.attemptId);
    return outcome;
  }

  override async status(request: StatusRequest, ctx: NodeContext): Promise<StatusOutcome> {
    const status = await this.inner.status(request, ctx);
    return this.captured.has(request.attemptId) ? { ...status, voided: true, amountCaptured: 0 } : status;
  }
}

/** Confirms pending operations by notifications whose facts drop the operation id the root sent. */
export class LosesOperationIdNode extends ConfirmsLaterNode {
  protected override fact(event: ToyEvent): NotificationFact {
    return { ...super.fact(event), operationId: null };
  }
}

/** A composite node that keeps notifications to itself instead of handing them to the leaf they name. */
export class KeepsNotificationsNode extends DelegatingNode {
  override async parseNotification(notification: ProviderNotification): Promise<NotificationAnswer> {
    return notForThisNode(this.id, notification.nodeId);
  }
}
