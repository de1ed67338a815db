import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  attemptIdFor,
  contextWithTimeout,
  isNotSupported,
  maskCard,
  type AttemptAddress,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type CompleteActionRequest,
  type GatewayNode,
  type HealthReport,
  type NodeContext,
  type NodeDescriptor,
  type NotificationAnswer,
  type NotificationSample,
  type OperationOutcome,
  type OptionalOperation,
  type ProviderNotification,
  type Quote,
  type QuoteRequest,
  type SignedNotification,
  type StatusOutcome,
} from '#gateway-spi';
import type { NodeExpectations, NotificationWriter, ResolvedFixture } from '../contract-subject.js';
import { authorizeShape, healthShape, notificationShape, operationShape, quoteShape, statusShape } from './answer-shapes.js';
import { CapturingLogger } from './capturing-logger.js';
import { cardDataProblems } from './card-data.js';
import { Findings, show } from './findings.js';
import { completeRedirect } from './shopper.js';

const HANG = Symbol('hang');

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : show(error));

/**
 * One check's view of the node under test. Every call is guarded: a throw, an answer past the
 * deadline (plus the fixture's margin), a malformed answer, a code outside the unified codes, or card
 * data in an answer is recorded as a failure, whichever check made the call.
 */
export class NodeHarness {
  readonly findings: Findings = new Findings();
  readonly logger = new CapturingLogger();
  private readonly sentNumbers = new Set<string>();
  private readonly traceId = `contract_${randomBytes(4).toString('hex')}`;

  constructor(
    readonly node: GatewayNode,
    readonly fixture: ResolvedFixture,
    readonly expectations: NodeExpectations,
    /** The subject's provider notification writer, when it has one. */
    private readonly writer: NotificationWriter | null = null,
  ) {}

  supports(operation: OptionalOperation): boolean {
    return !(this.expectations.unsupported ?? []).includes(operation);
  }

  get amount(): number {
    return this.fixture.amount;
  }

  /** A fresh id with a prefix, e.g. `cap_ct1a2b3c4d`. */
  newId(prefix: string): string {
    return `${prefix}_ct${randomBytes(5).toString('hex')}`;
  }

  context(timeoutMs = this.fixture.callTimeoutMs): NodeContext {
    return contextWithTimeout(timeoutMs, { traceId: this.traceId, logger: this.logger });
  }

  /** A context whose deadline has already passed. */
  abortedContext(): NodeContext {
    const signal = AbortSignal.abort(new DOMException('The operation timed out.', 'TimeoutError'));
    return { signal, deadline: Date.now(), traceId: this.traceId, logger: this.logger };
  }

  payment(number: string, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
    this.sentNumbers.add(number);
    const paymentId = this.newId('pay');
    const card = { number, expMonth: 12, expYear: new Date().getUTCFullYear() + 3, cvc: this.fixture.cvc };
    return {
      paymentId,
      attemptId: attemptIdFor(paymentId, 1),
      attemptSeq: 1,
      merchantId: 'mer_contract',
      amount: this.fixture.amount,
      currency: this.fixture.currency,
      capture: false,
      paymentMethod: { type: 'card', card, display: maskCard(card) },
      metadata: { purpose: 'contract' },
      ...over,
    };
  }

  /** Where the shopper would come back to for `attemptId`: a port nothing listens on, as the shopper never fetches it. */
  returnUrl(attemptId: string): string {
    return `http://127.0.0.1:9/canopy-contract-return/${attemptId}`;
  }

  /** How the root addresses follow-ups of an outcome: down its path, for its last attempt. */
  address(request: AuthorizeRequest, outcome: AuthorizeOutcome): AttemptAddress {
    return { path: outcome.path, attemptId: outcome.attempts.at(-1)?.attemptId ?? request.attemptId, providerReference: outcome.providerReference };
  }

  describe(): NodeDescriptor {
    try {
      return this.node.describe();
    } catch (error) {
      return this.findings.abort(`describe() threw: ${describeError(error)}`);
    }
  }

  get isLeaf(): boolean {
    return this.describe().kind === 'adapter';
  }

  /**
   * Authorize is not optional: "not supported" ends the check, except for a request carrying a stored
   * credential to a node that declares them unsupported (the answer its check then looks at).
   */
  async authorize(label: string, request: AuthorizeRequest, ctx = this.context()): Promise<AuthorizeOutcome> {
    const outcome = await this.call(label, ctx, () => this.node.authorize(request, ctx));
    this.inspect(label, outcome, authorizeShape(label, outcome));
    if (!isNotSupported(outcome)) return outcome;
    if (request.storedCredential === undefined) this.findings.abort(`${label} answered ${show(outcome.message)}: authorize is not optional`);
    if (this.supports('stored_credentials')) {
      this.findings.abort(`${label} answered ${show(outcome.message)}, but the node does not declare stored credentials unsupported (unsupported: ['stored_credentials'])`);
    }
    return outcome;
  }

  async capture(label: string, address: AttemptAddress, amount: number, operationId = this.newId('cap'), ctx = this.context()): Promise<OperationOutcome> {
    const request = { ...address, operationId, amount, currency: this.fixture.currency };
    return this.operation('capture', label, ctx, () => this.node.capture(request, ctx));
  }

  async void(label: string, address: AttemptAddress, operationId = this.newId('void'), ctx = this.context()): Promise<OperationOutcome> {
    return this.operation('void', label, ctx, () => this.node.void({ ...address, operationId }, ctx));
  }

  async refund(label: string, address: AttemptAddress, amount: number, operationId = this.newId('re'), ctx = this.context()): Promise<OperationOutcome> {
    const request = { ...address, operationId, amount, currency: this.fixture.currency, reason: 'contract' };
    return this.operation('refund', label, ctx, () => this.node.refund(request, ctx));
  }

  async status(label: string, address: AttemptAddress, ctx = this.context()): Promise<StatusOutcome> {
    const status = await this.call(label, ctx, () => this.node.status(address, ctx));
    this.inspect(label, status, statusShape(label, status));
    return status;
  }

  async completeAction(label: string, request: CompleteActionRequest, ctx = this.context()): Promise<StatusOutcome> {
    const status = await this.call(label, ctx, () => this.node.completeAction(request, ctx));
    this.inspect(label, status, statusShape(label, status));
    return status;
  }

  async parseNotification(label: string, notification: ProviderNotification, ctx = this.context()): Promise<NotificationAnswer> {
    const answer = await this.call(label, ctx, () => this.node.parseNotification(notification, ctx));
    this.inspect(label, answer, notificationShape(label, answer));
    return answer;
  }

  /** The shopper on the next action's page: its return data, or the end of the check with why it got stuck. */
  async shopper(label: string, url: string, returnUrl: string): Promise<Record<string, string>> {
    try {
      return await completeRedirect(url, returnUrl, { signal: AbortSignal.timeout(this.fixture.callTimeoutMs) });
    } catch (error) {
      return this.findings.abort(`${label}: the shopper could not complete the redirect: ${describeError(error)}`);
    }
  }

  /** A notification as the subject's provider would send it; ends the check when nobody writes them. */
  notification(sample: NotificationSample): SignedNotification {
    if (!this.writer) {
      return this.findings.abort(
        "the node takes notifications (its fixture does not list 'notifications' as unsupported), but its contract provider writes none: give the started provider notification(sample), or declare 'notifications' unsupported",
      );
    }
    try {
      return this.writer(sample);
    } catch (error) {
      return this.findings.abort(`the contract provider could not write a ${sample.kind} notification: ${describeError(error)}`);
    }
  }

  async quote(label: string, request: Partial<QuoteRequest> = {}, ctx = this.context()): Promise<Quote> {
    const facts: QuoteRequest = { amount: this.fixture.amount, currency: this.fixture.currency, method: 'card', paymentId: this.newId('pay'), ...request };
    const quote = await this.call(label, ctx, () => this.node.quote(facts, ctx));
    this.inspect(label, quote, quoteShape(label, quote));
    return quote;
  }

  async health(label: string, ctx = this.context()): Promise<HealthReport> {
    const report = await this.call(label, ctx, () => this.node.health(ctx));
    this.inspect(label, report, healthShape(label, report));
    return report;
  }

  /**
   * A path in an answer starts at this node; a leaf's is exactly its own id. A composite node's goes
   * down to a leaf, except when the node lost the answer on its way down (`lostOnTheWay`: an unknown
   * outcome, such as a remote subtree's reply that missed the deadline): it cannot know which leaf
   * acted, so the path ends at itself and a status inquiry down the same path settles it.
   */
  checkPath(label: string, path: readonly string[], lostOnTheWay = false): void {
    const { id } = this.node;
    if (this.isLeaf) this.findings.expect(isDeepStrictEqual(path, [id]), `${label}: a leaf's path must be [${show(id)}], got ${show(path)}`);
    else if (lostOnTheWay && isDeepStrictEqual(path, [id])) return;
    else this.findings.expect(path[0] === id && path.length >= 2, `${label}: path ${show(path)} must start at ${show(id)} and go down to a leaf`);
  }

  /** The attempts of an outcome from a provider: the request's attempt first, the outcome's own last. */
  checkAttempts(label: string, request: AuthorizeRequest, outcome: AuthorizeOutcome): void {
    const { attempts } = outcome;
    this.checkPath(label, outcome.path, outcome.outcome === 'unknown');
    if (!this.findings.expect(attempts.length > 0, `${label}: an outcome from a provider lists no attempts`)) return;
    const first = attempts[0]!;
    const last = attempts.at(-1)!;
    this.findings.expect(
      first.attemptId === request.attemptId && first.attemptSeq === request.attemptSeq,
      `${label}: the first attempt must be the request's (${request.attemptId} #${request.attemptSeq}), got ${first.attemptId} #${first.attemptSeq}`,
    );
    this.findings.expect(
      attempts.every((attempt, i) => attempt.attemptSeq === request.attemptSeq + i),
      `${label}: attempt numbers must follow one another from ${request.attemptSeq}, got ${show(attempts.map((a) => a.attemptSeq))}`,
    );
    this.findings.fields(`${label}: the last attempt`, last, { path: outcome.path, outcome: outcome.outcome, code: outcome.code });
    if (this.isLeaf) this.findings.expect(attempts.length === 1, `${label}: a leaf makes one attempt per call, listed ${attempts.length}`);
  }

  /** The failures of the check, once its logs have been searched for card data too. */
  finish(): string[] {
    this.logger.lines.forEach((line, i) => {
      for (const problem of cardDataProblems(`log line ${i + 1} (${line.level} "${line.message}")`, line, this.secrets())) this.findings.fail(problem);
    });
    return this.findings.failures;
  }

  private secrets() {
    return { numbers: this.sentNumbers, cvc: this.fixture.cvc };
  }

  private async operation(operation: OptionalOperation, label: string, ctx: NodeContext, invoke: () => Promise<OperationOutcome>): Promise<OperationOutcome> {
    const outcome = await this.call(label, ctx, invoke);
    this.inspect(label, outcome, operationShape(label, outcome));
    if (this.supports(operation) && isNotSupported(outcome)) {
      this.findings.fail(`${label} answered ${show(outcome.message)}, but the node does not declare ${operation} unsupported (unsupported: ['${operation}'])`);
    }
    return outcome;
  }

  private inspect(label: string, answer: unknown, shapeProblems: string[]): void {
    for (const problem of [...shapeProblems, ...cardDataProblems(`${label}: the answer`, answer, this.secrets())]) this.findings.fail(problem);
  }

  /** Runs `invoke`, but waits no longer than the deadline plus the margin: past that the node hangs. */
  private async call<T>(label: string, ctx: NodeContext, invoke: () => Promise<T>): Promise<T> {
    const boundMs = Math.max(0, ctx.deadline - Date.now()) + this.fixture.hangMarginMs;
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<typeof HANG>((resolve) => {
      timer = setTimeout(() => resolve(HANG), boundMs);
    });
    let answer: T | typeof HANG;
    try {
      answer = await Promise.race([Promise.resolve().then(invoke), hang]);
    } catch (error) {
      return this.findings.abort(`${label} threw instead of answering an outcome: ${describeError(error)}`);
    } finally {
      clearTimeout(timer);
    }
    if (answer === HANG) {
      return this.findings.abort(`${label} did not answer within ${boundMs} ms, ${this.fixture.hangMarginMs} ms past its deadline: it ignores the deadline`);
    }
    if (typeof answer !== 'object' || answer === null) return this.findings.abort(`${label} answered ${show(answer)} instead of an outcome`);
    return answer;
  }
}
