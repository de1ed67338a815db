import {
  leafOutcome,
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
import { replayProblem } from './ledger-rules.js';
import { eligibilityProblem, simulatorFee } from './simulator.fee.js';
import { FaultSwitch } from './simulator.faults.js';
import { SimulatorLedger } from './simulator.ledger.js';
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
import { scriptForCard } from './test-cards.js';
import { sleep, untilAborted } from './wait.js';

/** Latency of the `slow` fault when it names none. */
export const DEFAULT_SLOW_MS = 1000;

type Reached = { reached: true; fault: FaultSpec | null } | { reached: false; why: Unanswered };

export interface SimulatorDeps {
  random?: () => number;
  newReference?: (prefix: string) => string;
}

/** The sandbox leaf: a fake provider implementing every operation, with injectable faults. */
export class SimulatorNode implements GatewayNode {
  readonly faults: FaultSwitch;
  private readonly ledger: SimulatorLedger;

  constructor(
    readonly id: string,
    private readonly options: SimulatorOptions,
    deps: SimulatorDeps = {},
  ) {
    this.faults = new FaultSwitch(deps.random);
    this.ledger = new SimulatorLedger(deps.newReference);
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
    return leafOutcome(this.id, req, { ...reply, latencyMs });
  }

  capture(req: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate(req, ctx, () => this.ledger.capture(req));
  }

  void(req: VoidRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate(req, ctx, () => this.ledger.void(req));
  }

  refund(req: RefundRequest, ctx: NodeContext): Promise<OperationOutcome> {
    return this.operate(req, ctx, () => this.ledger.refund(req));
  }

  async status(req: StatusRequest, ctx: NodeContext): Promise<StatusOutcome> {
    if (this.pathProblem(req)) return { ...unansweredStatus('error'), code: 'processing_error' };
    const reached = await this.reach(ctx);
    if (!reached.reached) return unansweredStatus(reached.why);
    if (reached.fault?.mode === 'timeout') return this.noReply(ctx, unansweredStatus('no-reply'));
    return this.ledger.status(req.attemptId);
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
    const reached = await this.reach(ctx);
    if (!reached.reached) return unansweredReply(reached.why);
    const { reply, lostReply } = this.charge(req);
    if (lostReply || reached.fault?.mode === 'timeout') return this.noReply(ctx, unansweredReply('no-reply'));
    return reply;
  }

  /** The provider's side of authorize: a replay answers from the ledger, a new attempt id charges once. */
  private charge(req: AuthorizeRequest): { reply: LeafReply; lostReply: boolean } {
    const seen = this.ledger.findCharge(req.attemptId);
    if (seen) {
      // A replay is answered from the ledger, so the timeout card's replay says approved.
      const problem = replayProblem(seen, req);
      return { reply: problem ? replayMismatchReply(problem) : replyFromCharge(seen), lostReply: false };
    }
    const ineligible = eligibilityProblem({ currency: req.currency, country: req.customerCountry }, this.options);
    if (ineligible) return { reply: rejectedReply(ineligible.code, ineligible.message), lostReply: false };
    if (!Number.isSafeInteger(req.amount) || req.amount <= 0) {
      return { reply: rejectedReply('processing_error', `amount must be a positive integer (got ${req.amount})`), lostReply: false };
    }
    const script = scriptForCard(req.paymentMethod.card.number);
    const approved = script.kind === 'approve' || script.kind === 'charge-no-reply';
    const charge = this.ledger.recordCharge({
      attemptId: req.attemptId,
      paymentId: req.paymentId,
      amount: req.amount,
      currency: req.currency.toUpperCase(),
      state: approved ? 'approved' : script.kind === 'decline' ? 'declined' : 'failed',
      code: script.kind === 'decline' || script.kind === 'fail' ? script.code : null,
      amountCaptured: approved && req.capture ? req.amount : 0,
    });
    return { reply: replyFromCharge(charge), lostReply: script.kind === 'charge-no-reply' };
  }

  private async operate(req: AttemptAddress, ctx: NodeContext, apply: () => OperationOutcome): Promise<OperationOutcome> {
    const wrongPath = this.pathProblem(req);
    if (wrongPath) return { outcome: 'failed', code: 'processing_error', message: wrongPath, providerReference: null };
    const reached = await this.reach(ctx);
    if (!reached.reached) return unansweredOperation(reached.why);
    const outcome = apply();
    if (reached.fault?.mode === 'timeout') return this.noReply(ctx, unansweredOperation('no-reply'));
    return outcome;
  }

  /**
   * The way to the provider, shared by every money call and status: `down` refuses at once, then the
   * latency (`slow`'s, else `latency_ms`), then `error`. The provider acts only after the wait, so a
   * call aborted while waiting changed nothing at the provider; it is still answered as unknown
   * (`no-reply`, not retryable), because a real adapter cannot tell a slow network before the
   * provider from one after it: only a `status` inquiry (here: not_found) proves nothing moved.
   */
  private async reach(ctx: NodeContext): Promise<Reached> {
    if (ctx.signal.aborted) return { reached: false, why: 'not-sent' };
    const fault = this.faults.draw();
    if (fault?.mode === 'down') return { reached: false, why: 'down' };
    const delayMs = fault?.mode === 'slow' ? (fault.latencyMs ?? DEFAULT_SLOW_MS) : this.options.latencyMs;
    if (!(await sleep(delayMs, ctx.signal))) return { reached: false, why: 'no-reply' };
    if (fault?.mode === 'error') return { reached: false, why: 'error' };
    return { reached: true, fault };
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
