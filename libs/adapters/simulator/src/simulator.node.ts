import { randomBytes } from 'node:crypto';
import {
  completeByStatus,
  leafOutcome,
  notForThisNode,
  notificationsNotSupported,
  type CompleteActionRequest,
  type NotificationAnswer,
  type ProviderNotification,
  type AttemptAddress,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type CaptureRequest,
  type FaultSpec,
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
import { isReturnUrl } from './challenge-page.html.js';
import { ChallengePages } from './challenge-page.server.js';
import { replayProblem } from './ledger-rules.js';
import { eligibilityProblem, simulatorFee } from './simulator.fee.js';
import { FaultSwitch } from './simulator.faults.js';
import { SimulatorLedger } from './simulator.ledger.js';
import { marketLatencyMs, MarketSwitch, marketVerdict } from './simulator.market.js';
import type { SimulatorOptions } from './simulator.options.js';
import {
  rejectedReply,
  replayMismatchReply,
  replyFromCharge,
  unansweredOperation,
  unansweredReply,
  unansweredStatus,
  type LeafReply,
  type Unanswered,
} from './simulator.replies.js';
import { hasMitExemption, storedCredentialProblem, storedCredentialRecordOf, type StoredCredentialView } from './stored-credential.js';
import { isScriptedCard, scriptForCard, type CardScript } from './test-cards.js';
import { sleep, untilAborted } from './wait.js';

/** Latency of the `slow` fault when it names none. */
export const DEFAULT_SLOW_MS = 1000;

type Reached = { reached: true; fault: FaultSpec | null } | { reached: false; why: Unanswered };

type Charged = { reply: LeafReply; lostReply: boolean };

export interface SimulatorDeps {
  random?: () => number;
  newReference?: (prefix: string) => string;
  /** The token of a challenge page: all its URL carries, so it must be unguessable. */
  newChallengeToken?: () => string;
}

const randomToken = () => randomBytes(24).toString('base64url');

const answered = (reply: LeafReply): Charged => ({ reply, lostReply: false });

/** The sandbox leaf: a fake provider implementing every operation, with injectable faults and a market. */
export class SimulatorNode implements GatewayNode {
  readonly faults: FaultSwitch;
  readonly market: MarketSwitch;
  private readonly ledger: SimulatorLedger;
  private readonly challengePages: ChallengePages;
  private readonly newChallengeToken: () => string;

  constructor(
    readonly id: string,
    private readonly options: SimulatorOptions,
    deps: SimulatorDeps = {},
  ) {
    this.faults = new FaultSwitch(deps.random);
    this.market = new MarketSwitch(options.market);
    this.ledger = new SimulatorLedger(deps.newReference);
    this.newChallengeToken = deps.newChallengeToken ?? randomToken;
    const { challengeHost: host, challengePort: port, challengePublicUrl: publicUrl } = options;
    this.challengePages = new ChallengePages({ host, port, publicUrl }, this.ledger);
  }

  describe(): NodeDescriptor {
    return {
      id: this.id,
      kind: 'adapter',
      type: 'simulator',
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
    ctx.logger.debug('simulator authorize', { node: this.id, attemptId: req.attemptId, outcome: reply.outcome, code: reply.code });
    const outcome = leafOutcome(this.id, req, { ...reply, latencyMs });
    return reply.nextAction ? { ...outcome, nextAction: reply.nextAction } : outcome;
  }

  capture(req: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate(req, ctx, `capture:${req.operationId}`, () => this.ledger.capture(req));
  }

  void(req: VoidRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate(req, ctx, `void:${req.operationId}`, () => this.ledger.void(req));
  }

  refund(req: RefundRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate(req, ctx, `refund:${req.operationId}`, () => this.ledger.refund(req));
  }

  async status(req: StatusRequest, ctx: NodeContext): Promise<StatusOutcome> {
    if (this.pathProblem(req)) return { ...unansweredStatus('error'), code: 'processing_error' };
    const reached = await this.reach(ctx, `status:${req.attemptId}`);
    if (!reached.reached) return unansweredStatus(reached.why);
    if (reached.fault?.mode === 'timeout') return this.noReply(ctx, unansweredStatus('no-reply'));
    return this.ledger.status(req.attemptId);
  }

  /**
   * The shopper's answer was recorded when they submitted the challenge page, so completing is asking
   * where the attempt stands; the `sim_challenge` token in `returnData` adds nothing the ledger lacks.
   */
  completeAction(req: CompleteActionRequest, ctx: NodeContext): Promise<StatusOutcome> {
    return completeByStatus(this, req, ctx);
  }

  async parseNotification(notification: ProviderNotification, _ctx?: NodeContext): Promise<NotificationAnswer> {
    if (notification.nodeId !== this.id) return notForThisNode(this.id, notification.nodeId);
    return notificationsNotSupported(this.id);
  }

  /**
   * For tests: what the attempt's authorize said about its stored credential (initiator, usage, model,
   * the network transaction id it was sent with) and the one answered once approved. Null when the
   * attempt is unknown or stored nothing. Never card data.
   */
  storedCredentialOf(attemptId: string): StoredCredentialView | null {
    return this.ledger.storedCredentialOf(attemptId);
  }

  /** Leaves the challenge page server (the last node to leave closes it). */
  async close(): Promise<void> {
    await this.challengePages.close();
  }

  async quote(req: QuoteRequest, _ctx?: NodeContext): Promise<Quote> {
    const path = [this.id];
    if (this.faults.draw()?.mode === 'down') return { eligible: false, fee: 0, path, reason: `${this.id} is unavailable` };
    if (req.method !== 'card') return { eligible: false, fee: 0, path, reason: `payment method ${req.method} is not supported` };
    const problem = eligibilityProblem(req, this.options);
    if (problem) return { eligible: false, fee: 0, path, reason: problem.message };
    const fee = simulatorFee(req.amount, this.options);
    return { eligible: true, fee, path, reason: `fee ${fee} (${this.options.feeBps} bps + ${this.options.feeFixed})` };
  }

  async health(_ctx?: NodeContext): Promise<HealthReport> {
    const fault = this.faults.currentFault();
    if (!fault) return { id: this.id, status: 'up' };
    const rate = fault.rate ?? 1;
    const detail = `fault ${fault.mode} at rate ${rate}`;
    if (fault.mode !== 'down' || rate <= 0) return { id: this.id, status: 'up', detail };
    return { id: this.id, status: rate >= 1 ? 'down' : 'degraded', detail };
  }

  private async authorizeReply(req: AuthorizeRequest, ctx: NodeContext): Promise<LeafReply> {
    const reached = await this.reach(ctx, `authorize:${req.attemptId}`);
    if (!reached.reached) return unansweredReply(reached.why);
    const { reply, lostReply } = await this.charge(req);
    if (lostReply || reached.fault?.mode === 'timeout') return this.noReply(ctx, unansweredReply('no-reply'));
    return reply;
  }

  /** The provider's side of authorize: a replay answers from the ledger, a new attempt id charges once. */
  private async charge(req: AuthorizeRequest): Promise<Charged> {
    const seen = this.replay(req);
    if (seen) return seen;
    const ineligible = eligibilityProblem({ currency: req.currency, country: req.customerCountry }, this.options);
    if (ineligible) return answered(rejectedReply(ineligible.code, ineligible.message));
    if (!Number.isSafeInteger(req.amount) || req.amount <= 0) {
      return answered(rejectedReply('processing_error', `amount must be a positive integer (got ${req.amount})`));
    }
    const malformed = storedCredentialProblem(req);
    if (malformed) return answered(rejectedReply('processing_error', malformed));
    const script = this.marketScript(req) ?? scriptForCard(req.paymentMethod.card.number);
    if (script.kind === 'challenge') return this.challenge(req, script);
    const approved = script.kind === 'approve' || script.kind === 'charge-no-reply';
    const charge = this.ledger.recordCharge({
      ...this.chargeOf(req),
      state: approved ? 'approved' : script.kind === 'decline' ? 'declined' : 'failed',
      code: script.kind === 'decline' || script.kind === 'fail' ? script.code : null,
      amountCaptured: approved && req.capture ? req.amount : 0,
    });
    return { reply: replyFromCharge(charge), lostReply: script.kind === 'charge-no-reply' };
  }

  /**
   * A 3-D Secure card. A merchant-initiated payment never asks for the shopper: with a subsequent
   * stored credential's network transaction id the issuer exempts it (approved, frictionless), without
   * one it declines `authentication_required`. Otherwise: without a return URL nobody can bring the
   * shopper back, so it declines `authentication_required`; with one, it waits on the challenge page.
   */
  private async challenge(req: AuthorizeRequest, script: Extract<CardScript, { kind: 'challenge' }>): Promise<Charged> {
    if (req.initiator === 'merchant') {
      if (hasMitExemption(req)) {
        const charge = { ...this.chargeOf(req), storedCredential: storedCredentialRecordOf(req, true) };
        return answered(replyFromCharge(this.ledger.recordCharge({ ...charge, state: 'approved', code: null, amountCaptured: req.capture ? req.amount : 0 })));
      }
      return answered(replyFromCharge(this.ledger.recordCharge({ ...this.chargeOf(req), state: 'declined', code: 'authentication_required', amountCaptured: 0 })));
    }
    const returnUrl = req.returnUrl;
    if (returnUrl === undefined) {
      return answered(replyFromCharge(this.ledger.recordCharge({ ...this.chargeOf(req), state: 'declined', code: 'authentication_required', amountCaptured: 0 })));
    }
    if (!isReturnUrl(returnUrl)) return answered(rejectedReply('processing_error', 'returnUrl must be an absolute http(s) URL'));
    const token = this.newChallengeToken();
    let pageUrl: string;
    try {
      pageUrl = await this.challengePages.pageUrl(token);
    } catch (error) {
      return answered(rejectedReply('processing_error', error instanceof Error ? error.message : String(error)));
    }
    // A call with the same attempt id may have recorded it while the page server started.
    const seen = this.replay(req);
    if (seen) return seen;
    const charge = this.ledger.recordCharge({
      ...this.chargeOf(req),
      state: 'requires_action',
      code: null,
      amountCaptured: 0,
      challenge: { token, pageUrl, returnUrl, issuerRefuses: script.issuerRefuses, capture: req.capture },
    });
    return answered(replyFromCharge(charge));
  }

  /**
   * The market's verdict on a card no test script decides, null without a market. Recorded in the
   * ledger like a test card's, so status and replays answer the same.
   */
  private marketScript(req: AuthorizeRequest): CardScript | null {
    const market = this.market.active();
    if (!market || isScriptedCard(req.paymentMethod.card.number)) return null;
    const facts = { brand: req.paymentMethod.display.brand, country: req.customerCountry?.toUpperCase(), amount: req.amount };
    const verdict = marketVerdict(market, this.id, req.attemptId, facts);
    return verdict.kind === 'approve' ? verdict : { kind: 'decline', code: verdict.code };
  }

  /** A replay is answered from the ledger, so the timeout card's replay says approved. */
  private replay(req: AuthorizeRequest): Charged | null {
    const seen = this.ledger.findCharge(req.attemptId);
    if (!seen) return null;
    const problem = replayProblem(seen, req);
    return answered(problem ? replayMismatchReply(problem) : replyFromCharge(seen));
  }

  /** What every ledger entry remembers of the request: never card data. */
  private chargeOf(req: AuthorizeRequest) {
    return {
      attemptId: req.attemptId,
      paymentId: req.paymentId,
      amount: req.amount,
      currency: req.currency.toUpperCase(),
      initiator: req.initiator ?? 'customer',
      storedCredential: storedCredentialRecordOf(req),
    };
  }

  private async operate(req: AttemptAddress, ctx: NodeContext, callKey: string, apply: () => OperationOutcome): Promise<OperationOutcome> {
    const wrongPath = this.pathProblem(req);
    if (wrongPath) return { outcome: 'failed', code: 'processing_error', message: wrongPath, providerReference: null };
    const reached = await this.reach(ctx, callKey);
    if (!reached.reached) return unansweredOperation(reached.why);
    const outcome = apply();
    if (reached.fault?.mode === 'timeout') return this.noReply(ctx, unansweredOperation('no-reply'));
    return outcome;
  }

  /**
   * The way to the provider, shared by every money call and status: `down` refuses at once, then the
   * latency (`slow`'s, else the market's drawn for `callKey`, else `latency_ms`), then `error`. The
   * provider acts only after the wait, so a call aborted while waiting changed nothing at the
   * provider; it is still answered as unknown (`no-reply`, not retryable), because a real adapter
   * cannot tell a slow network before the provider from one after it: only a `status` inquiry
   * (here: not_found) proves nothing moved.
   */
  private async reach(ctx: NodeContext, callKey: string): Promise<Reached> {
    if (ctx.signal.aborted) return { reached: false, why: 'not-sent' };
    const fault = this.faults.draw();
    if (fault?.mode === 'down') return { reached: false, why: 'down' };
    const delayMs = fault?.mode === 'slow' ? (fault.latencyMs ?? DEFAULT_SLOW_MS) : this.latencyOf(callKey);
    if (!(await sleep(delayMs, ctx.signal))) return { reached: false, why: 'no-reply' };
    if (fault?.mode === 'error') return { reached: false, why: 'error' };
    return { reached: true, fault };
  }

  private latencyOf(callKey: string): number {
    const market = this.market.active();
    return (market && marketLatencyMs(market, this.id, callKey)) ?? this.options.latencyMs;
  }

  /** The provider acted but its reply is lost: the caller hears nothing until its deadline. */
  private async noReply<T>(ctx: NodeContext, answer: T): Promise<T> {
    await untilAborted(ctx.signal);
    return answer;
  }

  private pathProblem(req: AttemptAddress): string | null {
    if (req.path.length === 1 && req.path[0] === this.id) return null;
    return `path ${req.path.join('/') || '(empty)'} does not address leaf ${this.id}`;
  }
}
