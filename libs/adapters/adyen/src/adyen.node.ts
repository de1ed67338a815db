import {
  leafOutcome,
  statusWithoutMoney,
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
  type StatusOutcome,
  type StatusRequest,
  type VoidRequest,
} from '#gateway-spi';
import type { AdyenCheckout, CallOptions } from './adyen.client.js';
import { httpErrorRow, paymentResultRow } from './adyen.codes.js';
import { AdyenJournal, modificationProblem, type JournalEntry, type JournalOperation } from './adyen.journal.js';
import {
  cancelRequest,
  captureRequest,
  classifySdkError,
  operationFromReply,
  operationReceived,
  paymentRequest,
  refundRequest,
  refusedLocally,
  replyFromDeadline,
  replyFromFailure,
  replyFromPaymentResponse,
  statusProbeRequest,
  type AdyenFailure,
  type AdyenReply,
} from './adyen.mapping.js';
import type { AdyenOptions } from './adyen.options.js';
import type { PaymentResponse } from '@adyen/api-library/lib/src/typings/checkout/models.js';

export interface AdyenDeps {
  /** The Checkout calls; `createAdyenCheckout` (the SDK) unless a test injects its own. */
  checkout: AdyenCheckout;
  now?: () => number;
}

type Called<T> = { ok: true; value: T } | { ok: false; reply: AdyenReply; failure: AdyenFailure | null };

/** How long a refused connection keeps health `down` (no call since proved otherwise). */
const UNREACHABLE_FOR_MS = 30_000;

/** How long a request may still answer after the caller's deadline (its answer then only settles the journal). */
export const LATE_ANSWER_GRACE_MS = 10_000;

/** The Adyen leaf: Checkout v72 through the official SDK, one client (account, key) per node. */
export class AdyenNode implements GatewayNode {
  private readonly journal = new AdyenJournal();
  private readonly checkout: AdyenCheckout;
  private readonly now: () => number;
  private unreachableAt: number | null = null;

  constructor(
    readonly id: string,
    private readonly options: AdyenOptions,
    deps: AdyenDeps,
  ) {
    this.checkout = deps.checkout;
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
    return leafOutcome(this.id, req, { ...reply, latencyMs });
  }

  private async authorizeReply(req: AuthorizeRequest, ctx: NodeContext): Promise<AdyenReply> {
    const currency = req.currency.toUpperCase();
    if (!this.options.currencies.includes(currency)) return rejected('currency_not_supported', `${this.id} does not take ${currency} (takes ${this.options.currencies.join(', ')})`);
    if (req.paymentMethod.type !== 'card') return rejected('processing_error', `payment method ${String(req.paymentMethod.type)} is not supported by ${this.id}`);
    if (!Number.isSafeInteger(req.amount) || req.amount <= 0) return rejected('processing_error', `amount must be a positive integer (got ${req.amount})`);
    const body = paymentRequest(req, this.options);
    const entry = this.journal.sent({ attemptId: req.attemptId, amount: req.amount, currency, capture: req.capture });
    const settle = (res: PaymentResponse): AdyenReply => {
      const reply = replyFromPaymentResponse(res, req);
      if (reply.outcome !== 'unknown') this.journal.settle(entry, { state: reply.outcome, code: reply.code, pspReference: reply.providerReference, amount: res.amount?.value });
      return reply;
    };
    const called = await this.call(ctx, req.attemptId, (call) => this.checkout.payments(body, call), settle);
    return called.ok ? settle(called.value) : called.reply;
  }

  capture(req: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.modify(req, ctx, 'capture', req.amount, req.currency, (psp, call) => this.checkout.capture(psp, captureRequest(req, this.options), call));
  }

  void(req: VoidRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.modify(req, ctx, 'void', 0, null, (psp, call) => this.checkout.cancel(psp, cancelRequest(req.operationId, this.options), call));
  }

  refund(req: RefundRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.modify(req, ctx, 'refund', req.amount, req.currency, (psp, call) => this.checkout.refund(psp, refundRequest(req, this.options), call));
  }

  /**
   * A capture, cancel or refund. Adyen answers 201 `received`: accepted for processing, confirmed
   * by notification (next issue), so `succeeded` here means "Adyen took it". What Adyen's accounting
   * rules would refuse later (by a *_FAILED notification) is refused here first when the journal
   * knows the attempt: over-capture, capture after void, void after capture, refund past captured.
   */
  private async modify(
    req: AttemptAddress & { operationId: string },
    ctx: NodeContext,
    kind: JournalOperation['kind'],
    amount: number,
    currency: string | null,
    send: (pspReference: string, call: CallOptions) => Promise<{ status?: string; pspReference?: string }>,
  ): Promise<OperationOutcome> {
    const wrongPath = this.pathProblem(req);
    if (wrongPath) return refusedLocally(wrongPath);
    // Past the deadline nothing is judged nor sent.
    if (ctx.signal.aborted) return operationFromReply(replyFromDeadline(false));
    const entry = this.journal.get(req.attemptId);
    const psp = req.providerReference ?? entry?.pspReference ?? null;
    if (!psp) return refusedLocally(`${kind} of attempt ${req.attemptId}: no Adyen pspReference known (never authorised here, or not settled: ask status first)`);
    const replay = entry?.operations.has(req.operationId) ?? false;
    if (entry && !replay) {
      if (currency !== null && currency.toUpperCase() !== entry.currency) return refusedLocally(`${kind} in ${currency}: attempt ${req.attemptId} is in ${entry.currency}`);
      const problem = modificationProblem(entry, kind, amount);
      if (problem) return refusedLocally(`${kind} refused before sending: ${problem}`);
    }
    const record = (res: { status?: string; pspReference?: string }): OperationOutcome => {
      const outcome = operationReceived(res);
      if (outcome.outcome === 'succeeded' && entry) this.journal.received(entry, req.operationId, { kind, amount, pspReference: outcome.providerReference });
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
   * given; a key Adyen never stored makes it validate that body and refuse it: not_found.
   */
  async status(req: StatusRequest, ctx: NodeContext): Promise<StatusOutcome> {
    const wrongPath = this.pathProblem(req);
    if (wrongPath) return statusWithoutMoney('unknown', 'processing_error');
    if (ctx.signal.aborted) return statusWithoutMoney('unknown', 'provider_timeout');
    const entry = this.journal.get(req.attemptId);
    if (entry && entry.state !== 'sent') return fromEntry(entry);
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
    const row = paymentResultRow(res.resultCode, res.refusalReasonCode, res.refusalReason);
    if (row.outcome === 'unknown') return { ...statusWithoutMoney('unknown', row.code), providerReference: res.pspReference ?? null };
    const settled = entry ?? this.journal.sent({ attemptId: req.attemptId, amount: res.amount?.value ?? 0, currency: res.amount?.currency ?? '', capture: false });
    this.journal.settle(settled, { state: row.outcome, code: row.code, pspReference: res.pspReference ?? null, amount: res.amount?.value });
    return fromEntry(settled);
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

function rejected(code: 'currency_not_supported' | 'processing_error', message: string): AdyenReply {
  return { outcome: 'failed', code, message, retryable: true, providerReference: null, amountCaptured: 0 };
}

function fromEntry(entry: JournalEntry): StatusOutcome {
  const approved = entry.state === 'approved';
  return {
    state: entry.state === 'sent' ? 'unknown' : entry.state,
    code: entry.code,
    providerReference: entry.pspReference,
    amountAuthorized: approved ? entry.amount : 0,
    amountCaptured: approved ? entry.captured : 0,
    amountRefunded: approved ? entry.refunded : 0,
    voided: entry.voided,
  };
}
