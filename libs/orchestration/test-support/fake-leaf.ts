import {
  attemptIdFor,
  contextWithTimeout,
  leafOutcome,
  maskCard,
  notForThisNode,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type Capabilities,
  type GatewayNode,
  type HealthReport,
  type Initiator,
  type NodeContext,
  type NextAction,
  type NodeDescriptor,
  type NotificationAnswer,
  type OperationOutcome,
  type ProviderNotification,
  type Quote,
  type StatusOutcome,
  type StoredCredential,
  type UnifiedCode,
} from '#gateway-spi';

/**
 * Test double for router specs: a leaf with a scripted answer. Not an adapter: no provider, no ledger.
 * `requires_action` asks for the shopper (`challengeOf` says where).
 */
export type FakeBehaviour = 'approve' | 'decline' | 'down' | 'error' | 'timeout' | 'requires_action';

export interface FakeLeafSettings {
  behaviour?: FakeBehaviour;
  /** What `status` answers (`unknown` after waiting for the abort, like a provider that never replies). */
  status?: StatusOutcome['state'];
  /** What `completeAction` answers (as `status` would). */
  completion?: StatusOutcome['state'];
  /** What `parseNotification` answers for this leaf's id; `throw` rejects like a broken node. Default: ok, no facts. */
  notification?: NotificationAnswer | 'throw';
  currencies?: string[];
  countries?: string[] | null;
  fee?: number;
  health?: HealthReport['status'] | 'hang';
  quoteHangs?: boolean;
  /** The code of a `decline` (default card_declined). */
  declineCode?: UnifiedCode;
}

export interface FakeCall {
  op: string;
  path?: string[];
  attemptId?: string;
  attemptSeq?: number;
  budgetMs?: number;
  returnData?: Record<string, string>;
  body?: string;
  /** What an authorize carried of the stored-credential fields (absent when it carried none). */
  initiator?: Initiator;
  storedCredential?: StoredCredential;
}

/** The network transaction id a fake leaf answers for an approved attempt carrying a stored credential. */
export const fakeNetworkTransactionId = (leafId: string, attemptId: string) => `ntid_${leafId}_${attemptId}`;

/** Where a fake leaf that asks for the shopper sends them for `attemptId`. */
export function challengeOf(attemptId: string): NextAction {
  return { type: 'redirect_to_url', url: `https://fake.test/challenge/${attemptId}` };
}

export const FAKE_NOTIFICATION_REPLY = { status: 200, contentType: 'text/plain', body: 'ok' };

const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

const ANSWERS: Record<Exclude<FakeBehaviour, 'timeout'>, Pick<AuthorizeOutcome, 'outcome' | 'code' | 'retryable'>> = {
  approve: { outcome: 'approved', code: null, retryable: false },
  decline: { outcome: 'declined', code: 'card_declined', retryable: false },
  down: { outcome: 'failed', code: 'provider_unavailable', retryable: true },
  error: { outcome: 'failed', code: 'processing_error', retryable: true },
  requires_action: { outcome: 'requires_action', code: null, retryable: false },
};

export class FakeLeaf implements GatewayNode {
  readonly calls: FakeCall[] = [];
  settings: Required<FakeLeafSettings>;

  constructor(
    readonly id: string,
    settings: FakeLeafSettings = {},
  ) {
    this.settings = {
      behaviour: 'approve',
      status: 'not_found',
      completion: 'approved',
      notification: { ok: true, facts: [], reply: FAKE_NOTIFICATION_REPLY },
      currencies: ['EUR', 'GBP', 'USD'], countries: null, fee: 10, health: 'up',
      quoteHangs: false,
      declineCode: 'card_declined',
      ...settings,
    };
  }

  calledFor(op: string): FakeCall[] {
    return this.calls.filter((call) => call.op === op);
  }

  describe(): NodeDescriptor {
    const capabilities: Capabilities = {
      currencies: this.settings.currencies,
      paymentMethods: ['card'],
      countries: this.settings.countries,
      partialCapture: true,
      multipleRefunds: false,
    };
    return { id: this.id, kind: 'adapter', type: 'fake', capabilities };
  }

  async authorize(req: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome> {
    this.calls.push({
      op: 'authorize',
      attemptId: req.attemptId,
      attemptSeq: req.attemptSeq,
      budgetMs: ctx.deadline - Date.now(),
      ...(req.initiator !== undefined && { initiator: req.initiator }),
      ...(req.storedCredential !== undefined && { storedCredential: req.storedCredential }),
    });
    let answer: Pick<AuthorizeOutcome, 'outcome' | 'code' | 'retryable'>;
    if (this.settings.behaviour === 'timeout') {
      await untilAborted(ctx.signal);
      answer = { outcome: 'unknown', code: 'provider_timeout', retryable: false };
    } else {
      answer = ANSWERS[this.settings.behaviour];
      if (answer.outcome === 'declined') answer = { ...answer, code: this.settings.declineCode };
    }
    const stored = answer.outcome === 'approved' && req.storedCredential !== undefined;
    const outcome = leafOutcome(this.id, req, {
      ...answer,
      message: null,
      providerReference: `ref_${this.id}_${req.attemptId}`,
      amountCaptured: 0,
      latencyMs: 1,
      ...(stored && { networkTransactionId: fakeNetworkTransactionId(this.id, req.attemptId) }),
    });
    return answer.outcome === 'requires_action' ? { ...outcome, nextAction: challengeOf(req.attemptId) } : outcome;
  }

  private operation(op: string, path: string[]): Promise<OperationOutcome> {
    this.calls.push({ op, path });
    return Promise.resolve({ outcome: 'succeeded', code: null, message: null, providerReference: `ref_${this.id}` });
  }

  capture(req: { path: string[] }) {
    return this.operation('capture', req.path);
  }

  void(req: { path: string[] }) {
    return this.operation('void', req.path);
  }

  refund(req: { path: string[] }) {
    return this.operation('refund', req.path);
  }

  async status(req: { path: string[]; attemptId: string }, ctx: NodeContext): Promise<StatusOutcome> {
    this.calls.push({ op: 'status', path: req.path, attemptId: req.attemptId, budgetMs: ctx.deadline - Date.now() });
    return this.statusOf(this.settings.status, req.attemptId, ctx);
  }

  async completeAction(req: { path: string[]; attemptId: string; returnData: Record<string, string> }, ctx: NodeContext): Promise<StatusOutcome> {
    this.calls.push({ op: 'completeAction', path: req.path, attemptId: req.attemptId, returnData: req.returnData, budgetMs: ctx.deadline - Date.now() });
    return this.statusOf(this.settings.completion, req.attemptId, ctx);
  }

  async parseNotification(notification: ProviderNotification, ctx: NodeContext): Promise<NotificationAnswer> {
    if (notification.nodeId !== this.id) return notForThisNode(this.id, notification.nodeId);
    this.calls.push({ op: 'parseNotification', body: notification.body, budgetMs: ctx.deadline - Date.now() });
    if (this.settings.notification === 'throw') throw new Error(`${this.id} broke while parsing`);
    return this.settings.notification;
  }

  private async statusOf(state: StatusOutcome['state'], attemptId: string, ctx: NodeContext): Promise<StatusOutcome> {
    if (state === 'unknown') await untilAborted(ctx.signal);
    const charged = state === 'approved';
    return {
      state,
      code: state === 'declined' ? this.settings.declineCode : null,
      providerReference: charged || state === 'requires_action' ? `ref_${this.id}_${attemptId}` : null,
      amountAuthorized: charged ? 1000 : 0,
      amountCaptured: 0,
      amountRefunded: 0,
      voided: false,
      ...(state === 'requires_action' && { nextAction: challengeOf(attemptId) }),
    };
  }

  async quote(): Promise<Quote> {
    if (this.settings.quoteHangs) await new Promise(() => {});
    const down = this.settings.behaviour === 'down';
    return { eligible: !down, fee: this.settings.fee, path: [this.id], reason: down ? 'down' : `fee ${this.settings.fee}` };
  }

  async health(): Promise<HealthReport> {
    if (this.settings.health === 'hang') await new Promise(() => {});
    return { id: this.id, status: this.settings.health === 'hang' ? 'down' : this.settings.health };
  }
}

export function cardRequest(over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const card = { number: '4242424242424242', expMonth: 12, expYear: 2030 };
  return {
    paymentId: 'pay_abc',
    attemptId: attemptIdFor('pay_abc', 1),
    attemptSeq: 1,
    merchantId: 'mer_1',
    amount: 1000,
    currency: 'EUR',
    capture: false,
    paymentMethod: { type: 'card', card, display: maskCard(card) },
    metadata: {},
    ...over,
  };
}

export const testContext = (ms = 2000): NodeContext => contextWithTimeout(ms, { traceId: 'test' });
