import {
  leafOutcome,
  statusWithoutMoney,
  type AttemptAddress,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type CaptureRequest,
  type CompleteActionRequest,
  type GatewayNode,
  type HealthReport,
  type NodeContext,
  type NodeDescriptor,
  type NotificationAnswer,
  type OperationOutcome,
  type ProviderNotification,
  type Quote,
  type QuoteRequest,
  type RefundRequest,
  type StatusOutcome,
  type StatusRequest,
  type VoidRequest,
} from '#gateway-spi';
import type Stripe from 'stripe';
import type { StripeCall, StripeClient } from './stripe.client.js';
import { verdict, type Situation } from './stripe.codes.js';
import {
  ATTEMPT_KEY,
  OPERATION_KEY,
  authorizeAnswer,
  authorizeFailure,
  factsOfError,
  operationFailure,
  searchQuery,
  statusOfIntent,
  toCreateParams,
  type StripeReply,
} from './stripe.mapping.js';
import { parseStripeNotification } from './stripe.notifications.js';
import { EXPAND_CHARGE, hasExpandedCharge, isFirstUse, storedCredentialProblem } from './stripe.stored-credential.js';
import type { StripeOptions } from './stripe.options.js';

/** What the node is built with besides its options: the Stripe client, injected (tests pass a scripted one). */
export interface StripeDeps {
  client: StripeClient;
  now?: () => number;
  /** The webhook endpoint's signing secret (`whsec_…`, from `webhook_secret_env`); absent: no notifications. */
  webhookSecret?: string | null;
}

/** How one SDK call ended: its value, an SDK error, or our deadline (before sending, or while waiting). */
type Called<T> = { ok: true; value: T } | { ok: false; error: unknown } | { ok: false; deadline: 'deadline:before_send' | 'deadline:waiting' };

/** How far before our own send time the list looks, for clock skew between us and Stripe (seconds). */
const LIST_MARGIN_S = 300;

/** Attempts sent recently, remembered at most this many (the oldest are forgotten first). */
const SENT_MEMORY = 10_000;

/**
 * The `stripe` leaf: one Stripe account, PaymentIntents API, through the official SDK.
 * - Every POST carries an idempotency key: the attempt id (authorize) or the operation id.
 * - Each call's SDK timeout is what remains of `ctx.deadline`; the SDK takes no AbortSignal, so the
 *   node also stops waiting when `ctx.signal` aborts (the request then ends at its own timeout).
 * - Never throws for a provider problem: errors map through the one table in `stripe.codes.ts`.
 * - Never logs or returns card data or the secret key.
 */
export class StripeNode implements GatewayNode {
  private readonly client: StripeClient;
  private readonly now: () => number;
  private readonly webhookSecret: string | null;
  /** When this node last sent a create for an attempt: within `searchLagMs`, an empty search proves nothing. */
  private readonly sent = new Map<string, number>();

  constructor(
    readonly id: string,
    private readonly options: StripeOptions,
    deps: StripeDeps,
  ) {
    this.client = deps.client;
    this.now = deps.now ?? Date.now;
    this.webhookSecret = deps.webhookSecret ?? null;
  }

  describe(): NodeDescriptor {
    return {
      id: this.id,
      kind: 'adapter',
      type: 'stripe',
      capabilities: {
        currencies: [...this.options.currencies],
        paymentMethods: ['card'],
        countries: this.options.countries && [...this.options.countries],
        partialCapture: true,
        multipleRefunds: true,
      },
    };
  }

  async authorize(req: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const started = performance.now();
    const reply = await this.authorizeReply(req, ctx);
    const latencyMs = Math.round(performance.now() - started);
    ctx.logger.debug('stripe authorize', {
      node: this.id,
      attemptId: req.attemptId,
      outcome: reply.outcome,
      code: reply.code,
      providerReference: reply.providerReference,
      ...(req.initiator && { initiator: req.initiator }),
      ...(req.storedCredential && { storedCredential: req.storedCredential.usage }),
    });
    const outcome = leafOutcome(this.id, req, { ...reply, latencyMs });
    return reply.nextAction ? { ...outcome, nextAction: reply.nextAction } : outcome;
  }

  private async authorizeReply(req: AuthorizeRequest, ctx: NodeContext): Promise<StripeReply> {
    const currency = req.currency.toUpperCase();
    if (!this.options.currencies.includes(currency)) {
      return refusedReply('currency_not_supported', `currency ${currency} is not supported by ${this.id} (supported: ${this.options.currencies.join(', ')})`);
    }
    const country = req.customerCountry?.toUpperCase();
    if (this.options.countries && country !== undefined && !this.options.countries.includes(country)) {
      return refusedReply('no_route', `customer country ${country} is not served by ${this.id}`);
    }
    if (!Number.isSafeInteger(req.amount) || req.amount <= 0) return refusedReply('processing_error', `amount must be a positive integer (got ${req.amount})`);
    if (req.paymentMethod.type !== 'card') return refusedReply('processing_error', `payment method ${String(req.paymentMethod.type)} is not supported`);
    const credentialProblem = storedCredentialProblem(req);
    if (credentialProblem) return refusedReply('processing_error', credentialProblem);
    const called = await this.call(ctx, req.attemptId, (call) => this.client.createPaymentIntent(toCreateParams(req), call), () => this.remember(req.attemptId));
    if (called.ok) return authorizeAnswer(called.value, req);
    if ('deadline' in called) return situationReply(called.deadline);
    // Never sent (connection refused, no such host): nothing can be in Stripe's index to wait for.
    if (factsOfError(called.error).situation === 'net:not_sent') this.sent.delete(req.attemptId);
    return authorizeFailure(called.error);
  }

  async capture(req: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate('capture', req, ctx, async (intent) => {
      const problem = amountProblem(intent, req);
      if (problem) return refusedOperation(problem);
      return this.send(ctx, req.operationId, (call) => this.client.capturePaymentIntent(intent.id, { amount_to_capture: req.amount }, call), (captured) =>
        captured.status === 'succeeded' ? succeeded(captured.id) : refusedOperation(`capture left the PaymentIntent ${captured.status}`),
      );
    });
  }

  async void(req: VoidRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate('void', req, ctx, (intent) =>
      this.send(ctx, req.operationId, (call) => this.client.cancelPaymentIntent(intent.id, call), (canceled) =>
        canceled.status === 'canceled' ? succeeded(canceled.id) : refusedOperation(`cancel left the PaymentIntent ${canceled.status}`),
      ),
    );
  }

  /**
   * A refund is re-sent with the same operation id while it is unknown or pending. Stripe replays a
   * key's first answer for ~24 h (a `pending` refund stays `pending` in the replay after it succeeded)
   * and forgets the key after (a re-send would refund again). So the refund this operation id already
   * made, if any, answers from its current status; only when there is none is one created (still
   * keyed, for two sends racing). Unanswered lookups are `unknown`: an earlier send may have refunded.
   */
  async refund(req: RefundRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate('refund', req, ctx, async (intent) => {
      const problem = amountProblem(intent, req);
      if (problem) return refusedOperation(problem);
      const refunds = await this.allRefunds(intent.id, ctx);
      if (!refunds.ok) return lookupUnanswered(`could not list the refunds of ${intent.id}`, refunds.situation, 'unknown');
      const earlier = earlierRefund(refunds.value, req.operationId);
      if (earlier) return refundOutcome(earlier);
      const params = { payment_intent: intent.id, amount: req.amount, metadata: { [OPERATION_KEY]: req.operationId, [ATTEMPT_KEY]: req.attemptId } };
      return this.send(ctx, req.operationId, (call) => this.client.createRefund(params, call), refundOutcome);
    }, 'unknown');
  }

  async status(req: StatusRequest, ctx: NodeContext): Promise<StatusOutcome> {
    if (pathProblem(this.id, req)) return statusWithoutMoney('unknown', 'processing_error');
    // Retrieved by reference, the charge comes in the same call (a first use tells its network transaction id).
    const found = await this.findIntent(req, ctx, [EXPAND_CHARGE]);
    if (found.kind === 'unanswered') return statusWithoutMoney('unknown', verdict(found.situation).code ?? 'processing_error');
    if (found.kind === 'foreign') return statusWithoutMoney('unknown', 'processing_error');
    if (found.kind === 'none') {
      // An empty search proves nothing while the index may still lag behind our own create.
      const sentAt = this.sent.get(req.attemptId);
      if (sentAt !== undefined && this.now() - sentAt < this.options.searchLagMs) return statusWithoutMoney('unknown', 'provider_timeout');
      return statusWithoutMoney('not_found');
    }
    const intent = await this.withCharge(found.intent, ctx);
    if (intent.status !== 'succeeded') return statusOfIntent(intent);
    const refunds = await this.allRefunds(intent.id, ctx);
    if (!refunds.ok) return statusWithoutMoney('unknown', verdict(refunds.situation).code ?? 'processing_error');
    return statusOfIntent(intent, refunds.value);
  }

  /**
   * The shopper is back from 3-D Secure (or the merchant confirms): what the PaymentIntent says now.
   * The return's `payment_intent` / `redirect_status` are the shopper's browser talking, so they are
   * never believed: the PaymentIntent is read (by reference, else the returned id, else by search),
   * and it must belong to the attempt.
   */
  async completeAction(req: CompleteActionRequest, ctx: NodeContext): Promise<StatusOutcome> {
    const returned = req.returnData.payment_intent;
    const providerReference = req.providerReference ?? (returned && /^pi_\w+$/.test(returned) ? returned : null);
    const outcome = await this.status({ path: req.path, attemptId: req.attemptId, providerReference }, ctx);
    ctx.logger.debug('stripe completeAction', { node: this.id, attemptId: req.attemptId, state: outcome.state, code: outcome.code, redirectStatus: req.returnData.redirect_status });
    return outcome;
  }

  /** A webhook for this leaf, verified with the endpoint secret; changes nothing (the root applies the facts). */
  async parseNotification(notification: ProviderNotification, ctx: NodeContext): Promise<NotificationAnswer> {
    const answer = parseStripeNotification(this.id, this.webhookSecret, notification);
    ctx.logger.debug('stripe notification', { node: this.id, ok: answer.ok, ...(answer.ok ? { facts: answer.facts.length } : { reason: answer.reason }) });
    return answer;
  }

  async quote(req: QuoteRequest, _ctx?: NodeContext): Promise<Quote> {
    const path = [this.id];
    if (req.method !== 'card') return { eligible: false, fee: 0, path, reason: `payment method ${req.method} is not supported` };
    const currency = req.currency.toUpperCase();
    if (!this.options.currencies.includes(currency)) return { eligible: false, fee: 0, path, reason: `currency ${currency} is not supported (supported: ${this.options.currencies.join(', ')})` };
    const country = req.country?.toUpperCase();
    if (this.options.countries && country !== undefined && !this.options.countries.includes(country)) {
      return { eligible: false, fee: 0, path, reason: `customer country ${country} is not served (served: ${this.options.countries.join(', ')})` };
    }
    const fee = this.options.feeFixed + Math.ceil((req.amount * this.options.feeBps) / 10_000);
    return { eligible: true, fee, path, reason: `fee ${fee} (${this.options.feeBps} bps + ${this.options.feeFixed})` };
  }

  async health(ctx: NodeContext): Promise<HealthReport> {
    const called = await this.call(ctx, undefined, (call) => this.client.ping(call));
    if (called.ok) return { id: this.id, status: 'up' };
    const situation = 'deadline' in called ? called.deadline : factsOfError(called.error).situation;
    const v = verdict(situation);
    const down = situation === 'net:not_sent' || situation === 'http:401' || situation === 'http:403';
    // The table's wording, never the provider's text: an auth error must not echo any part of the key.
    return { id: this.id, status: down ? 'down' : 'degraded', detail: `Stripe: ${v.why}` };
  }

  /**
   * Shared by capture, void and refund: the leaf's path, then the attempt's PaymentIntent, then the
   * operation. Only reads happened when the lookup goes unanswered: nothing was changed by this call,
   * so it is `failed`, unless an earlier send of the same operation may have applied (`unanswered`).
   */
  private async operate(
    kind: string,
    req: AttemptAddress,
    ctx: NodeContext,
    apply: (intent: Stripe.PaymentIntent) => Promise<OperationOutcome>,
    unanswered: 'failed' | 'unknown' = 'failed',
  ): Promise<OperationOutcome> {
    const wrongPath = pathProblem(this.id, req);
    if (wrongPath) return refusedOperation(wrongPath);
    const found = await this.findIntent(req, ctx);
    let outcome: OperationOutcome;
    if (found.kind === 'unanswered') outcome = lookupUnanswered(`could not look up attempt ${req.attemptId}`, found.situation, unanswered);
    else if (found.kind === 'foreign') outcome = refusedOperation(`provider reference ${req.providerReference} does not belong to attempt ${req.attemptId}`);
    else if (found.kind === 'none') outcome = refusedOperation(`no authorization is known at Stripe for attempt ${req.attemptId}`);
    else outcome = await apply(found.intent);
    ctx.logger.debug(`stripe ${kind}`, { node: this.id, attemptId: req.attemptId, outcome: outcome.outcome, code: outcome.code });
    return outcome;
  }

  /** A POST of an operation, keyed by its operation id. */
  private async send<T>(ctx: NodeContext, key: string, what: (call: StripeCall) => Promise<T>, answer: (value: T) => OperationOutcome): Promise<OperationOutcome> {
    const called = await this.call(ctx, key, what);
    if (called.ok) return answer(called.value);
    if ('deadline' in called) {
      const v = verdict(called.deadline);
      return { outcome: v.outcome === 'unknown' ? 'unknown' : 'failed', code: v.code, message: v.why, providerReference: null };
    }
    return operationFailure(called.error);
  }

  /** Every refund of a PaymentIntent, page by page (each page within what remains of the deadline). */
  private async allRefunds(paymentIntentId: string, ctx: NodeContext): Promise<{ ok: true; value: Stripe.Refund[] } | { ok: false; situation: Situation }> {
    const refunds: Stripe.Refund[] = [];
    for (;;) {
      const after = refunds.at(-1)?.id ?? null;
      const page = await this.call(ctx, undefined, (call) => this.client.listRefunds(paymentIntentId, after, call));
      if (!page.ok) return { ok: false, situation: 'deadline' in page ? page.deadline : factsOfError(page.error).situation };
      refunds.push(...page.value.data);
      if (!page.value.hasMore || page.value.data.length === 0) return { ok: true, value: refunds };
    }
  }

  /**
   * An approved first use of a stored credential that search or list found (their answers carry the
   * charge's id only), retrieved once with its charge expanded, for the network transaction id.
   * Any other PaymentIntent, or the retrieve unanswered: the one found (status then leaves the id out).
   */
  private async withCharge(intent: Stripe.PaymentIntent, ctx: NodeContext): Promise<Stripe.PaymentIntent> {
    if (!isFirstUse(intent) || !intent.latest_charge || hasExpandedCharge(intent) || statusOfIntent(intent).state !== 'approved') return intent;
    const got = await this.call(ctx, undefined, (call) => this.client.retrievePaymentIntent(intent.id, call, [EXPAND_CHARGE]));
    return got.ok && got.value.metadata?.[ATTEMPT_KEY] === intent.metadata?.[ATTEMPT_KEY] ? got.value : intent;
  }

  /**
   * The attempt's PaymentIntent: retrieved by its id when the caller knows it (with `expand`), else
   * searched by the attempt id in its metadata. `none` means Stripe's search returned nothing (which may lag).
   */
  private async findIntent(req: AttemptAddress, ctx: NodeContext, expand: readonly string[] = []): Promise<
    { kind: 'found'; intent: Stripe.PaymentIntent } | { kind: 'none' } | { kind: 'foreign' } | { kind: 'unanswered'; situation: Situation }
  > {
    if (req.providerReference) {
      const got = await this.call(ctx, undefined, (call) => this.client.retrievePaymentIntent(req.providerReference!, call, expand));
      if (got.ok) return got.value.metadata?.[ATTEMPT_KEY] === req.attemptId ? { kind: 'found', intent: got.value } : { kind: 'foreign' };
      const situation = 'deadline' in got ? got.deadline : factsOfError(got.error).situation;
      // An id Stripe does not know (another account, a typo): fall back to the attempt id.
      if (situation !== 'http:404') return { kind: 'unanswered', situation };
    }
    const searched = await this.call(ctx, undefined, (call) => this.client.searchPaymentIntents(searchQuery(req.attemptId), call));
    if (!searched.ok) return { kind: 'unanswered', situation: 'deadline' in searched ? searched.deadline : factsOfError(searched.error).situation };
    let mine = searched.value.filter((intent) => intent.metadata?.[ATTEMPT_KEY] === req.attemptId);
    const sentAt = this.sent.get(req.attemptId);
    if (mine.length === 0 && sentAt !== undefined && this.now() - sentAt < this.options.searchLagMs) {
      // Sent recently, so search may not show it yet: list what was created since (no indexing delay).
      const since = Math.floor(sentAt / 1000) - LIST_MARGIN_S;
      const listed = await this.call(ctx, undefined, (call) => this.client.listPaymentIntentsSince(since, call));
      if (listed.ok) mine = listed.value.data.filter((intent) => intent.metadata?.[ATTEMPT_KEY] === req.attemptId);
    }
    if (mine.length === 0) return { kind: 'none' };
    // One create per attempt id; should two exist (a retry after Stripe's 24 h key window), the one that holds money counts.
    const holding = mine.find((intent) => statusOfIntent(intent).state === 'approved');
    return { kind: 'found', intent: holding ?? mine.sort((a, b) => b.created - a.created)[0]! };
  }

  /**
   * One SDK call within the deadline: not sent when it has passed, the SDK timeout set to what
   * remains, and abandoned (answered `deadline:waiting`) when `ctx.signal` aborts first.
   */
  private async call<T>(ctx: NodeContext, idempotencyKey: string | undefined, what: (call: StripeCall) => Promise<T>, beforeSend?: () => void): Promise<Called<T>> {
    const remaining = ctx.deadline - Date.now();
    if (ctx.signal.aborted || remaining <= 0) return { ok: false, deadline: 'deadline:before_send' };
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<Called<T>>((resolve) => {
      onAbort = () => resolve({ ok: false, deadline: 'deadline:waiting' });
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
    beforeSend?.();
    const work = (async (): Promise<Called<T>> => {
      try {
        return { ok: true, value: await what({ idempotencyKey, timeoutMs: remaining }) };
      } catch (error) {
        return { ok: false, error };
      }
    })();
    try {
      return await Promise.race([work, aborted]);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort!);
    }
  }

  private remember(attemptId: string): void {
    this.sent.delete(attemptId);
    this.sent.set(attemptId, this.now());
    if (this.sent.size > SENT_MEMORY) this.sent.delete(this.sent.keys().next().value!);
  }
}

function pathProblem(id: string, req: AttemptAddress): string | null {
  if (req.path.length === 1 && req.path[0] === id) return null;
  return `path ${req.path.join('/') || '(empty)'} does not address leaf ${id}`;
}

function amountProblem(intent: Stripe.PaymentIntent, req: { amount: number; currency: string }): string | null {
  if (!Number.isSafeInteger(req.amount) || req.amount <= 0) return `amount must be a positive integer (got ${req.amount})`;
  if (req.currency.toLowerCase() !== intent.currency) return `currency ${req.currency.toUpperCase()} does not match the authorization (${intent.currency.toUpperCase()})`;
  return null;
}

function refusedReply(code: StripeReply['code'], message: string): StripeReply {
  return { outcome: 'failed', code, message, retryable: true, providerReference: null, amountCaptured: 0 };
}

function situationReply(situation: Situation): StripeReply {
  const v = verdict(situation);
  return { outcome: v.outcome, code: v.code, message: v.why, retryable: v.retryable, providerReference: null, amountCaptured: 0 };
}

function succeeded(providerReference: string): OperationOutcome {
  return { outcome: 'succeeded', code: null, message: null, providerReference };
}

/**
 * The refund an earlier send of `operationId` made. Should there be two (sent again after Stripe's key
 * window, before this lookup existed), one that took or is taking money back counts.
 */
function earlierRefund(refunds: readonly Stripe.Refund[], operationId: string): Stripe.Refund | undefined {
  const mine = refunds.filter((refund) => refund.metadata?.[OPERATION_KEY] === operationId);
  return mine.find((refund) => refund.status !== 'failed' && refund.status !== 'canceled') ?? mine[0];
}

function lookupUnanswered(what: string, situation: Situation, outcome: 'failed' | 'unknown'): OperationOutcome {
  const v = verdict(situation);
  return { outcome, code: v.code ?? 'processing_error', message: `${what}: ${v.why}`, providerReference: null };
}

/** A refund, created or found: `pending` ones are settled later (a `refund.updated` / `refund.failed` event, or status). */
function refundOutcome(refund: Stripe.Refund): OperationOutcome {
  if (refund.status === 'failed' || refund.status === 'canceled') return refusedOperation(`the refund is ${refund.status}`);
  if (refund.status === 'pending' || refund.status === 'requires_action') return { outcome: 'pending', code: null, message: `the refund is ${refund.status}`, providerReference: refund.id };
  return succeeded(refund.id);
}

function refusedOperation(message: string): OperationOutcome {
  return { outcome: 'failed', code: 'processing_error', message, providerReference: null };
}
