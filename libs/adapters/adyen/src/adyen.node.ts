import { createHash, randomBytes } from 'node:crypto';
import {
  leafOutcome,
  notForThisNode,
  notificationsNotSupported,
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
  type NotificationFact,
  type OperationOutcome,
  type ProviderNotification,
  type Quote,
  type QuoteRequest,
  type RefundRequest,
  type StatusOutcome,
  type StatusRequest,
  type VoidRequest,
} from '#gateway-spi';
import type { AdyenCheckout, CallOptions } from './adyen.client.js';
import { httpErrorRow } from './adyen.codes.js';
import { AdyenJournal, lacksNetworkId, modificationProblem, type JournalEntry, type JournalOperation } from './adyen.journal.js';
import {
  CAPTURE_MARKER,
  cancelByReferenceRequest,
  cancelRequest,
  captureFromMarker,
  captureRequest,
  classifySdkError,
  detailsRequest,
  networkTxReferenceOf,
  operationFromReply,
  operationReceived,
  paymentRequest,
  refundRequest,
  refusedLocally,
  replyFromDeadline,
  replyFromFailure,
  replyFromPaymentResponse,
  shopperCanReturn,
  statusProbeRequest,
  storedCredentialProblem,
  type AdyenFailure,
  type AdyenReply,
  type Requested,
} from './adyen.mapping.js';
import { ADYEN_NOTIFICATION_REPLY, factsFromItem, verifyNotification, type Known } from './adyen.notifications.js';
import type { AdyenOptions } from './adyen.options.js';
import type { PaymentDetailsResponse, PaymentResponse } from '@adyen/api-library/lib/src/typings/checkout/models.js';

export interface AdyenDeps {
  /** The Checkout calls; `createAdyenCheckout` (the SDK) unless a test injects its own. */
  checkout: AdyenCheckout;
  /**
   * The hex HMAC key of the notification webhook (from `hmac_key_env`); absent: no notifications, so a
   * modification Adyen received answers `succeeded` (nothing could ever confirm it) instead of `pending`.
   */
  hmacKey?: string | null;
  /**
   * Signs the capture mode carried in the shopper's return URL (derived from the API key by the adapter,
   * so every process of the same node verifies it); absent: a random key of this instance.
   */
  returnKey?: Buffer;
  now?: () => number;
}

const FINAL_STATES: ReadonlySet<JournalEntry['state']> = new Set(['approved', 'declined', 'failed']);

type Called<T> = { ok: true; value: T } | { ok: false; reply: AdyenReply; failure: AdyenFailure | null };

/** How long a refused connection keeps health `down` (no call since proved otherwise). */
const UNREACHABLE_FOR_MS = 30_000;

/** How long a request may still answer after the caller's deadline (its answer then only settles the journal). */
export const LATE_ANSWER_GRACE_MS = 10_000;

/** The Adyen leaf: Checkout v72 through the official SDK, one client (account, key) per node. */
export class AdyenNode implements GatewayNode {
  private readonly journal = new AdyenJournal();
  private readonly checkout: AdyenCheckout;
  private readonly hmacKey: string | null;
  private readonly returnKey: Buffer;
  private readonly now: () => number;
  private unreachableAt: number | null = null;

  constructor(
    readonly id: string,
    private readonly options: AdyenOptions,
    deps: AdyenDeps,
  ) {
    this.checkout = deps.checkout;
    this.hmacKey = deps.hmacKey ?? null;
    this.returnKey = deps.returnKey ?? randomBytes(32);
    this.now = deps.now ?? Date.now;
  }

  describe(): NodeDescriptor {
    return {
      id: this.id,
      kind: 'adapter',
      type: 'adyen',
      capabilities: { currencies: [...this.options.currencies], paymentMethods: ['card'], countries: null, partialCapture: true, multipleRefunds: true },
    };
  }

  async authorize(req: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    const started = performance.now();
    const reply = await this.authorizeReply(req, ctx);
    const latencyMs = Math.round(performance.now() - started);
    ctx.logger.debug('adyen authorize', { node: this.id, attemptId: req.attemptId, outcome: reply.outcome, code: reply.code, pspReference: reply.providerReference });
    const { nextAction, ...answer } = reply;
    // A RedirectShopper answer need not carry a pspReference: the waiting attempt is then known by its reference (the attempt id).
    const providerReference = answer.providerReference ?? (answer.outcome === 'requires_action' ? req.attemptId : null);
    const outcome = leafOutcome(this.id, req, { ...answer, providerReference, latencyMs });
    return nextAction ? { ...outcome, nextAction } : outcome;
  }

  private async authorizeReply(req: AuthorizeRequest, ctx: NodeContext): Promise<AdyenReply> {
    const currency = req.currency.toUpperCase();
    if (!this.options.currencies.includes(currency)) return rejected('currency_not_supported', `${this.id} does not take ${currency} (takes ${this.options.currencies.join(', ')})`);
    if (req.paymentMethod.type !== 'card') return rejected('processing_error', `payment method ${String(req.paymentMethod.type)} is not supported by ${this.id}`);
    if (!Number.isSafeInteger(req.amount) || req.amount <= 0) return rejected('processing_error', `amount must be a positive integer (got ${req.amount})`);
    const storedProblem = storedCredentialProblem(req);
    if (storedProblem) return rejected('processing_error', `${this.id}: ${storedProblem}`);
    const body = paymentRequest(req, this.options, this.returnKey);
    const entry = this.journal.sent({ attemptId: req.attemptId, amount: req.amount, currency, capture: req.capture, storedCredential: req.storedCredential !== undefined });
    const requested: Requested = {
      amount: req.amount,
      capture: req.capture,
      shopperReturns: shopperCanReturn(req),
      merchantInitiated: req.initiator === 'merchant',
      storedCredential: req.storedCredential !== undefined,
    };
    const settle = (res: PaymentResponse): AdyenReply => this.settleFrom(entry, res, requested);
    const called = await this.call(ctx, req.attemptId, (call) => this.checkout.payments(body, call), settle);
    return called.ok ? settle(called.value) : called.reply;
  }

  /** Adyen's answer (to /payments, its replay, or /payments/details) read and kept in the journal. */
  private settleFrom(entry: JournalEntry, res: PaymentResponse | PaymentDetailsResponse, requested: Requested): AdyenReply {
    const reply = replyFromPaymentResponse(res, requested);
    if (reply.outcome !== 'unknown') {
      this.journal.settle(entry, { state: reply.outcome, code: reply.code, pspReference: reply.providerReference, amount: res.amount?.value, currency: res.amount?.currency, nextAction: reply.nextAction, networkTxReference: networkTxReferenceOf(res) });
    }
    return reply;
  }

  capture(req: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome> {
    // modify sends without a pspReference only a void (by reference).
    return this.modify(req, ctx, 'capture', req.amount, req.currency, (psp, call) => this.checkout.capture(psp!, captureRequest(req, this.options), call));
  }

  /**
   * A void: `/payments/{psp}/cancels`, or, for an attempt still waiting for the shopper whose pspReference
   * is not known (a RedirectShopper answer need not carry one), `/cancels` by the payment's reference.
   * Voiding a waiting attempt reaches Adyen: the shopper may have authenticated meanwhile.
   */
  void(req: VoidRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.modify(req, ctx, 'void', 0, null, (psp, call) =>
      psp === null ? this.checkout.cancelByReference(cancelByReferenceRequest(req.attemptId, req.operationId, this.options), call) : this.checkout.cancel(psp, cancelRequest(req.operationId, this.options), call),
    );
  }

  refund(req: RefundRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.modify(req, ctx, 'refund', req.amount, req.currency, (psp, call) => this.checkout.refund(psp!, refundRequest(req, this.options), call));
  }

  /**
   * A capture, cancel or refund. Adyen answers 201 `received`: accepted for processing and confirmed
   * only by notification, so the outcome is `pending` (`succeeded` / `failed` once the notification
   * came). Without `hmac_key_env` no notification can ever come: `received` answers `succeeded` and
   * counts in the journal's sums at once. What Adyen's accounting rules would refuse later (by a
   * failure notification) is refused here first when the journal knows the attempt: over-capture, capture after void, void after
   * capture, refund past captured (pending modifications count).
   */
  private async modify(
    req: AttemptAddress & { operationId: string },
    ctx: NodeContext,
    kind: JournalOperation['kind'],
    amount: number,
    currency: string | null,
    send: (pspReference: string | null, call: CallOptions) => Promise<{ status?: string; pspReference?: string }>,
  ): Promise<OperationOutcome> {
    const wrongPath = this.pathProblem(req);
    if (wrongPath) return refusedLocally(wrongPath);
    // Past the deadline nothing is judged nor sent.
    if (ctx.signal.aborted) return operationFromReply(replyFromDeadline(false));
    const entry = this.journal.get(req.attemptId);
    const psp = pspOf(req.providerReference, req.attemptId) ?? entry?.pspReference ?? null;
    // Cancel by reference: a waiting attempt here, or the reference this leaf gave one (another process, a restart).
    const byReference = kind === 'void' && (entry?.state === 'requires_action' || (!entry && req.providerReference === req.attemptId));
    if (!psp && !byReference) return refusedLocally(`${kind} of attempt ${req.attemptId}: no Adyen pspReference known (never authorised here, or not settled: ask status first)`);
    const known = entry?.operations.get(req.operationId);
    if (known?.state === 'confirmed') return { outcome: 'succeeded', code: null, message: null, providerReference: known.pspReference };
    if (known?.state === 'failed') return refusedLocally(`${kind} ${req.operationId}: Adyen's notification reported it failed`);
    if (entry && !known) {
      // An entry rebuilt from an answer without amount has no currency yet: Adyen checks it.
      if (currency !== null && entry.currency && currency.toUpperCase() !== entry.currency) return refusedLocally(`${kind} in ${currency}: attempt ${req.attemptId} is in ${entry.currency}`);
      const problem = modificationProblem(entry, kind, amount);
      if (problem) return refusedLocally(`${kind} refused before sending: ${problem}`);
    }
    const record = (res: { status?: string; pspReference?: string }): OperationOutcome => {
      const notified = this.hmacKey !== null;
      const outcome = operationReceived(res, notified);
      if (outcome.outcome === 'pending' || outcome.outcome === 'succeeded') {
        const known = entry ?? this.journal.get(req.attemptId);
        if (known) {
          this.journal.received(known, req.operationId, { kind, amount, pspReference: outcome.providerReference });
          // No notification will ever confirm it: Adyen's `received` is all there is, so it counts.
          if (!notified) this.journal.notified(known, req.operationId, { kind, amount }, true);
        }
      }
      return outcome;
    };
    const called = await this.call(ctx, req.operationId, (call) => send(psp, call), record);
    const outcome = called.ok ? record(called.value) : operationFromReply(called.reply);
    ctx.logger.debug(`adyen ${kind}`, { node: this.id, attemptId: req.attemptId, operationId: req.operationId, outcome: outcome.outcome, code: outcome.code });
    return outcome;
  }

  /**
   * What Adyen holds for an attempt. Checkout has no "get payment": an attempt whose answer this node
   * heard is answered from the journal; any other is asked by replaying /payments under the attempt's
   * idempotency key with a body that cannot charge (no card): a stored answer comes back as it was
   * given; a key Adyen never stored makes it validate that body and refuse it: not_found. A shopper's
   * return whose /payments/details answer was lost is asked again under the same key (Adyen replays
   * its stored answer), so reconciliation can settle what Adyen may have authorised.
   */
  async status(req: StatusRequest, ctx: NodeContext): Promise<StatusOutcome> {
    const wrongPath = this.pathProblem(req);
    if (wrongPath) return statusWithoutMoney('unknown', 'processing_error');
    if (ctx.signal.aborted) return statusWithoutMoney('unknown', 'provider_timeout');
    let entry = this.journal.get(req.attemptId);
    if (!entry || entry.state === 'sent') {
      const probed = await this.probe(req, ctx, entry, null);
      entry = this.journal.get(req.attemptId);
      if (!entry?.redirectResult || entry.state !== 'requires_action') return probed;
    }
    if (entry.state === 'requires_action' && entry.redirectResult) return this.details(req, ctx, entry, entry.redirectResult, entry.capture);
    if (lacksNetworkId(entry)) {
      // Approved by notification before an answer was heard: the replay carries the id (a redirect's stored answer has none, so asked once).
      const probed = await this.probe(req, ctx, entry, entry.capture);
      if (probed.state !== 'unknown') entry.networkTransactionId ??= null;
    }
    return fromEntry(entry);
  }

  /** The card-less replay of /payments under the attempt's key; `capture` is what the entry gets when there was none (null: not known). */
  private async probe(req: AttemptAddress, ctx: NodeContext, entry: JournalEntry | undefined, capture: boolean | null): Promise<StatusOutcome> {
    const probe = statusProbeRequest(req.attemptId, this.options);
    const called = await this.call(ctx, req.attemptId, (call) => this.checkout.payments(probe, call));
    if (!called.ok) {
      const failure = called.failure;
      if (failure?.kind === 'http' && (failure.status === 422 || failure.status === 400) && httpErrorRow(failure.status, failure.errorCode).outcome === 'failed') {
        return statusWithoutMoney('not_found');
      }
      return statusWithoutMoney('unknown', called.reply.code);
    }
    const res = called.value;
    // A stored RedirectShopper answer need not carry amount or pspReference: the entry learns them from a later answer.
    const settled = entry ?? this.journal.sent({ attemptId: req.attemptId, amount: res.amount?.value ?? 0, currency: res.amount?.currency ?? '', capture });
    // A stored RedirectShopper was only asked for with the root's return URL (without one the leaf sends attemptAuthentication "never").
    const reply = this.settleFrom(settled, res, { amount: settled.amount, capture: settled.capture === true, shopperReturns: true });
    if (reply.outcome === 'unknown') {
      if (!entry) this.journal.forget(req.attemptId);
      return { ...statusWithoutMoney('unknown', reply.code), providerReference: res.pspReference ?? null };
    }
    return fromEntry(settled);
  }

  /**
   * The shopper came back (or the merchant confirms). With `returnData.redirectResult`: Adyen's
   * /payments/details decides, under an idempotency key made of the attempt id and that redirect
   * result, so a repeat (another process, after a restart) gets Adyen's stored answer and never a
   * refusal of the reused result; an attempt already settled here answers from the journal. After a
   * restart the journal is rebuilt first by status' replay, and whether the attempt captured at once
   * comes back in the return URL's own parameter — only when its signature holds (the shopper can
   * edit it); otherwise the capture mode is unknown and nothing is counted as captured. Without a
   * redirect result: where the attempt stands (status).
   */
  async completeAction(req: CompleteActionRequest, ctx: NodeContext): Promise<StatusOutcome> {
    const wrongPath = this.pathProblem(req);
    if (wrongPath) return statusWithoutMoney('unknown', 'processing_error');
    const redirectResult = req.returnData.redirectResult;
    if (!redirectResult) return this.status(req, ctx);
    if (ctx.signal.aborted) return statusWithoutMoney('unknown', 'provider_timeout');
    const capture = captureFromMarker(this.returnKey, req.attemptId, req.returnData[CAPTURE_MARKER]);
    let entry = this.journal.get(req.attemptId);
    if (!entry || entry.state === 'sent') {
      await this.probe(req, ctx, entry, capture);
      entry = this.journal.get(req.attemptId);
    }
    // Settled, and nothing left to learn; an approval only a notification told asks /payments/details (replayed under its key) for the id.
    if (entry && FINAL_STATES.has(entry.state) && !lacksNetworkId(entry)) return fromEntry(entry);
    return this.details(req, ctx, entry, redirectResult, entry?.capture ?? capture);
  }

  /**
   * `/payments/details` with the redirect result, under `<attemptId>.details.<hash>`. An answer lost
   * (reset, 5xx, the deadline) keeps the redirect result in the journal: status asks again under the
   * same key until Adyen's stored answer settles the attempt.
   */
  private async details(req: AttemptAddress, ctx: NodeContext, entry: JournalEntry | undefined, redirectResult: string, capture: boolean | null): Promise<StatusOutcome> {
    const key = `${req.attemptId}.details.${createHash('sha256').update(redirectResult).digest('hex').slice(0, 24)}`;
    const knownPsp = entry?.pspReference ?? pspOf(req.providerReference, req.attemptId);
    const settle = (res: PaymentDetailsResponse): AdyenReply => {
      const foreign = detailsOfAnother(res, req.attemptId, knownPsp);
      if (foreign) return { outcome: 'unknown', code: 'processing_error', message: foreign, retryable: false, providerReference: knownPsp, amountCaptured: 0, nextAction: null };
      const settled = entry ?? this.journal.sent({ attemptId: req.attemptId, amount: res.amount?.value ?? 0, currency: res.amount?.currency ?? '', capture });
      return this.settleFrom(settled, res, { amount: settled.amount, capture: settled.capture === true, shopperReturns: true });
    };
    const called = await this.call(ctx, key, (call) => this.checkout.paymentsDetails(detailsRequest(redirectResult), call), settle);
    const reply = called.ok ? settle(called.value) : called.reply;
    ctx.logger.debug('adyen details', { node: this.id, attemptId: req.attemptId, outcome: reply.outcome, code: reply.code });
    const settled = this.journal.get(req.attemptId);
    if (!called.ok && reply.outcome === 'unknown') {
      // Adyen may have decided (and authorised): keep the redirect result, so status can ask again under this key.
      const waiting = settled ?? this.journal.sent({ attemptId: req.attemptId, amount: 0, currency: '', capture });
      if (waiting.state === 'sent' || waiting.state === 'requires_action') waiting.redirectResult = redirectResult;
      if (waiting.state === 'sent' || waiting.state === 'requires_action') return { ...statusWithoutMoney('unknown', reply.code), providerReference: waiting.pspReference ?? knownPsp };
    }
    // Refused (validation: forged, expired, of another payment): this result decides nothing, not even later.
    if (!called.ok && settled?.redirectResult === redirectResult) settled.redirectResult = null;
    if (settled && settled.state !== 'sent') return fromEntry(settled);
    return { ...statusWithoutMoney('unknown', reply.code), providerReference: reply.providerReference ?? knownPsp };
  }

  /**
   * A notification posted for this node: verified item by item with the webhook's HMAC key, turned
   * into facts. The journal learns what Adyen confirmed (so status and the accounting checks follow);
   * the root applies the facts and only then sends Adyen its `[accepted]`.
   */
  async parseNotification(notification: ProviderNotification, _ctx: NodeContext): Promise<NotificationAnswer> {
    if (notification.nodeId !== this.id) return notForThisNode(this.id, notification.nodeId);
    if (!this.hmacKey) return notificationsNotSupported(this.id);
    const verified = verifyNotification(notification.body, this.hmacKey);
    if (!verified.ok) return verified;
    const known: Known = {
      attemptOf: (psp) => this.journal.byPspReference(psp)?.attemptId ?? null,
      capturesAtOnce: (attemptId) => this.journal.get(attemptId)?.capture ?? null,
      operationKind: (attemptId, operationId) => (attemptId ? this.journal.get(attemptId)?.operations.get(operationId)?.kind : undefined) ?? null,
    };
    // Signed with this webhook's key but about another merchant account (a key shared across accounts): not this node's.
    const facts = verified.items.filter((item) => item.merchantAccountCode === this.options.merchantAccount).flatMap((item) => factsFromItem(item, known));
    for (const fact of facts) this.remember(fact);
    return { ok: true, facts, reply: ADYEN_NOTIFICATION_REPLY };
  }

  private remember(fact: NotificationFact): void {
    const entry = (fact.attemptId ? this.journal.get(fact.attemptId) : undefined) ?? (fact.providerReference ? this.journal.byPspReference(fact.providerReference) : undefined);
    if (!entry) return;
    if (fact.kind === 'authorized' || fact.kind === 'authorization_failed') {
      const approved = fact.kind === 'authorized';
      this.journal.settle(entry, { state: approved ? 'approved' : 'declined', code: approved ? null : fact.code, pspReference: fact.providerReference, amount: fact.amount ?? undefined });
      return;
    }
    const kind = MODIFICATION_OF[fact.kind];
    if (!kind) return;
    const confirmed = !fact.kind.endsWith('_failed');
    this.journal.notified(entry, fact.operationId ?? fact.eventId, { kind, amount: fact.amount ?? 0 }, confirmed);
  }

  async quote(req: QuoteRequest, _ctx?: NodeContext): Promise<Quote> {
    const path = [this.id];
    if (req.method !== 'card') return { eligible: false, fee: 0, path, reason: `payment method ${req.method} is not supported` };
    const currency = req.currency.toUpperCase();
    if (!this.options.currencies.includes(currency)) return { eligible: false, fee: 0, path, reason: `currency ${currency} is not supported (takes ${this.options.currencies.join(', ')})` };
    if (this.isUnreachable()) return { eligible: false, fee: 0, path, reason: `${this.id}: Adyen refused the last connection` };
    const fee = this.options.feeFixed + Math.ceil((req.amount * this.options.feeBps) / 10_000);
    return { eligible: true, fee, path, reason: `fee ${fee} (${this.options.feeBps} bps + ${this.options.feeFixed}, as configured)` };
  }

  async health(_ctx?: NodeContext): Promise<HealthReport> {
    if (this.isUnreachable()) return { id: this.id, status: 'down', detail: 'Adyen refused the last connection' };
    return { id: this.id, status: 'up', detail: `Adyen ${this.options.environment}, merchant account ${this.options.merchantAccount}` };
  }

  private isUnreachable(): boolean {
    return this.unreachableAt !== null && this.now() - this.unreachableAt < UNREACHABLE_FOR_MS;
  }

  /**
   * One SDK call under the caller's deadline: the idempotency key on every call (retries included),
   * and a race against the deadline so no answer to the caller outlives it. The request itself is
   * not cut at the deadline: once sent it may already be at Adyen, and cutting it proves nothing.
   * It gets `LATE_ANSWER_GRACE_MS` more (its own AbortSignal, handed to the SDK's request), and a late
   * answer still settles the journal (`onLate`), so status can answer from it.
   */
  private async call<T>(ctx: NodeContext, idempotencyKey: string, fn: (call: CallOptions) => Promise<T>, onLate?: (value: T) => void): Promise<Called<T>> {
    if (ctx.signal.aborted) return { ok: false, reply: replyFromDeadline(false), failure: null };
    const wire = new AbortController();
    const timer = setTimeout(() => wire.abort(new DOMException('late answer grace over', 'TimeoutError')), Math.max(0, ctx.deadline - Date.now()) + LATE_ANSWER_GRACE_MS);
    timer.unref();
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<'aborted'>((resolve) => {
      onAbort = () => resolve('aborted');
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
    const attempt = Promise.resolve().then(() => fn({ idempotencyKey, signal: wire.signal }));
    void attempt.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
    try {
      const value = await Promise.race([attempt, aborted]);
      if (value === 'aborted') {
        if (onLate) attempt.then(onLate, () => undefined);
        return { ok: false, reply: replyFromDeadline(true), failure: null };
      }
      this.unreachableAt = null;
      return { ok: true, value: value as T };
    } catch (error) {
      if (ctx.signal.aborted) return { ok: false, reply: replyFromDeadline(true), failure: null };
      const failure = classifySdkError(error);
      if (failure.kind === 'transport' && failure.transport === 'refused') this.unreachableAt = this.now();
      else this.unreachableAt = null;
      return { ok: false, reply: replyFromFailure(failure), failure };
    } finally {
      if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
    }
  }

  private pathProblem(req: AttemptAddress): string | null {
    if (req.path.length === 1 && req.path[0] === this.id) return null;
    return `path ${req.path.join('/') || '(empty)'} does not address leaf ${this.id}`;
  }
}

/** A root-held provider reference as an Adyen pspReference: the attempt id is the reference this leaf gives a waiting attempt without one. */
function pspOf(providerReference: string | null | undefined, attemptId: string): string | null {
  return providerReference && providerReference !== attemptId ? providerReference : null;
}

function rejected(code: 'currency_not_supported' | 'processing_error', message: string): AdyenReply {
  return { outcome: 'failed', code, message, retryable: true, providerReference: null, amountCaptured: 0, nextAction: null };
}

/**
 * Why Adyen's answer to a redirect result is about another payment (a shopper bringing back the result
 * of one payment to another's return URL), or null when it is this attempt's.
 */
function detailsOfAnother(res: PaymentDetailsResponse, attemptId: string, pspReference: string | null): string | null {
  if (res.merchantReference && res.merchantReference !== attemptId) return `the redirect result belongs to ${res.merchantReference}, not ${attemptId}: nothing decided`;
  if (pspReference && res.pspReference && res.pspReference !== pspReference) return `the redirect result belongs to Adyen payment ${res.pspReference}, not ${pspReference}: nothing decided`;
  return null;
}

const MODIFICATION_OF: Partial<Record<NotificationFact['kind'], JournalOperation['kind']>> = {
  captured: 'capture',
  capture_failed: 'capture',
  cancelled: 'void',
  cancel_failed: 'void',
  refunded: 'refund',
  refund_failed: 'refund',
};

/** The journal's view; captured / refunded / voided are what Adyen confirmed (pending modifications are not counted). */
function fromEntry(entry: JournalEntry): StatusOutcome {
  const approved = entry.state === 'approved';
  return {
    state: entry.state === 'sent' ? 'unknown' : entry.state,
    code: entry.code,
    providerReference: entry.pspReference ?? (entry.state === 'requires_action' ? entry.attemptId : null),
    amountAuthorized: approved ? entry.amount : 0,
    amountCaptured: approved ? entry.captured : 0,
    amountRefunded: approved ? entry.refunded : 0,
    voided: entry.voided,
    ...(entry.state === 'requires_action' ? { nextAction: entry.nextAction } : {}),
    ...(approved && entry.networkTransactionId !== undefined ? { networkTransactionId: entry.networkTransactionId } : {}),
  };
}
