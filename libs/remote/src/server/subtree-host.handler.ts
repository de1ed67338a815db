import { RpcException } from '@nestjs/microservices';
import {
  contextWithTimeout,
  silentLogger,
  type AttemptAddress,
  type AuthorizeOutcome,
  type NodeContext,
  type NodeLogger,
  type NotificationAnswer,
  type OperationOutcome,
  type Quote,
  type StatusOutcome,
} from '#gateway-spi';
import { changeFault, changeMarket, faultsOf, marketsOf, type Tree } from '#orchestration';
import type { FaultReply, HealthReply, MarketReply, SubtreeDescription, WireError, WireErrorKind } from '../wire/protocol.js';
import { AttemptJournal } from './attempt-journal.js';
import {
  parseAddress,
  parseAuthorize,
  parseCapture,
  parseCompleteAction,
  parseEnvelope,
  parseFault,
  parseMarketRequest,
  parseNothing,
  parseNotification,
  parseQuote,
  parseRefund,
  parseVoid,
} from './request-bodies.js';
import { searchSubtree } from './search-subtree.js';

export interface RemoteNodeHandlerSettings {
  logger?: NodeLogger;
  journal?: AttemptJournal;
}

type Located = { address: AttemptAddress; status?: StatusOutcome } | { address?: undefined; status: StatusOutcome };

function wireError(kind: WireErrorKind, message: string): RpcException {
  return new RpcException({ kind, message } satisfies WireError);
}

/**
 * The time the subtree gets: the caller's remaining budget less a margin for the reply's way back
 * (a third of it, 10 to 100 ms), so the subtree's own answer, with its full path, beats the caller's
 * timeout and the caller does not have to record the attempt as lost somewhere behind the remote.
 */
export function serverBudget(budgetMs: number): number {
  return Math.max(0, budgetMs - Math.min(100, Math.max(10, Math.floor(budgetMs / 3))));
}

/**
 * Serves one subtree (any `GatewayNode` tree) to remote nodes: one method per wire operation, each
 * taking the raw message (an envelope with budget, trace id and body). Results are the subtree's
 * own outcomes; anything else is an `RpcException` carrying a typed `WireError`.
 */
export class RemoteNodeHandler {
  private readonly logger: NodeLogger;
  private readonly journal: AttemptJournal;
  private draining = false;
  private inFlight = 0;
  private onIdle: (() => void) | null = null;

  constructor(
    readonly tree: Tree,
    settings: RemoteNodeHandlerSettings = {},
  ) {
    this.logger = settings.logger ?? silentLogger;
    this.journal = settings.journal ?? new AttemptJournal();
  }

  authorize(message: unknown): Promise<AuthorizeOutcome> {
    return this.serve(message, parseAuthorize, async (request, ctx) => {
      const outcome = await this.tree.root.authorize(request, ctx);
      this.journal.record(request.attemptId, outcome);
      return outcome;
    });
  }

  capture(message: unknown): Promise<OperationOutcome> {
    return this.serve(message, parseCapture, (request, ctx) => this.followUp(request, ctx, (address) => this.tree.root.capture({ ...request, ...address }, ctx)));
  }

  void(message: unknown): Promise<OperationOutcome> {
    return this.serve(message, parseVoid, (request, ctx) => this.followUp(request, ctx, (address) => this.tree.root.void({ ...request, ...address }, ctx)));
  }

  refund(message: unknown): Promise<OperationOutcome> {
    return this.serve(message, parseRefund, (request, ctx) => this.followUp(request, ctx, (address) => this.tree.root.refund({ ...request, ...address }, ctx)));
  }

  status(message: unknown): Promise<StatusOutcome> {
    return this.serve(message, parseAddress, async (request, ctx) => {
      if (request.path.length > 0) return this.tree.root.status(request, ctx);
      const located = await this.locate(request, ctx);
      if (!located.address) return located.status;
      return located.status ?? this.tree.root.status(located.address, ctx);
    });
  }

  /** Like `status`, down the path, or to the leaf the journal or a search finds (a search's own answer when none holds it). */
  completeAction(message: unknown): Promise<StatusOutcome> {
    return this.serve(message, parseCompleteAction, async (request, ctx) => {
      if (request.path.length > 0) return this.tree.root.completeAction(request, ctx);
      const located = await this.locate(request, ctx);
      return located.address ? this.tree.root.completeAction({ ...request, ...located.address }, ctx) : located.status;
    });
  }

  /** The subtree's top node finds the leaf (or answers `unknown_node`); nothing is journaled: it moves no money. */
  notification(message: unknown): Promise<NotificationAnswer> {
    return this.serve(message, parseNotification, (notification, ctx) => this.tree.root.parseNotification(notification, ctx));
  }

  quote(message: unknown): Promise<Quote> {
    return this.serve(message, parseQuote, (request, ctx) => this.tree.root.quote(request, ctx));
  }

  health(message: unknown): Promise<HealthReply> {
    return this.serve(message, parseNothing, async (_none, ctx) => ({ report: await this.tree.root.health(ctx), described: this.description() }));
  }

  describe(message: unknown): Promise<SubtreeDescription> {
    return this.serve(message, parseNothing, async () => this.description());
  }

  setFault(message: unknown): Promise<FaultReply> {
    return this.serve(message, parseFault, ({ nodeId, fault }) => changeFault(this.tree, nodeId, fault));
  }

  clearFault(message: unknown): Promise<FaultReply> {
    return this.serve(message, parseFault, ({ nodeId }) => changeFault(this.tree, nodeId, null));
  }

  setMarket(message: unknown): Promise<MarketReply> {
    return this.serve(message, parseMarketRequest, ({ nodeId, market }) => changeMarket(this.tree, nodeId, market));
  }

  resetMarket(message: unknown): Promise<MarketReply> {
    return this.serve(message, parseMarketRequest, ({ nodeId }) => changeMarket(this.tree, nodeId, null));
  }

  /** Refuses new requests (`shutting_down`: nothing done, callers fail over) and waits for those in flight. */
  async drain(timeoutMs = 10_000): Promise<void> {
    this.draining = true;
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => {
      this.onIdle = resolve;
      setTimeout(resolve, timeoutMs).unref();
    });
  }

  get busy(): number {
    return this.inFlight;
  }

  private description(): SubtreeDescription {
    return { descriptor: this.tree.root.describe(), faults: faultsOf(this.tree), markets: marketsOf(this.tree) };
  }

  /**
   * Where an attempt named with an empty path is: the journal, else a search of the leaves (whose
   * answer, `status`, already tells where the attempt stands; without an `address` no leaf holds it).
   */
  private async locate(request: AttemptAddress, ctx: NodeContext): Promise<Located> {
    const known = this.journal.find(request.attemptId);
    if (known) return { address: known };
    const found = await searchSubtree(this.tree, request, ctx);
    return found.address ? { address: found.address, status: found.status } : { status: found.status };
  }

  /**
   * A follow-up with an empty path names only the attempt (the caller's route ends at the remote
   * node): the journal, else a search of the leaves, says which leaf and attempt id hold it.
   */
  private async followUp(request: AttemptAddress, ctx: NodeContext, send: (address: AttemptAddress) => Promise<OperationOutcome>): Promise<OperationOutcome> {
    if (request.path.length > 0) return send(request);
    const address = this.journal.find(request.attemptId) ?? (await searchSubtree(this.tree, request, ctx)).address;
    if (!address) {
      return { outcome: 'failed', code: 'processing_error', message: `attempt ${request.attemptId} is not known to this subtree; nothing was done`, providerReference: null };
    }
    return send(address);
  }

  private async serve<B, R>(message: unknown, parse: (body: unknown) => B | { problem: string }, work: (body: B, ctx: NodeContext) => Promise<R>): Promise<R> {
    if (this.draining) throw wireError('shutting_down', 'the node-host is shutting down');
    const envelope = parseEnvelope(message);
    if ('problem' in envelope) throw wireError('bad_request', envelope.problem);
    const body = parse(envelope.body);
    if (typeof body === 'object' && body !== null && 'problem' in body) throw wireError('bad_request', String(body.problem));
    const ctx = contextWithTimeout(serverBudget(envelope.budgetMs), { traceId: envelope.traceId, logger: this.logger });
    this.inFlight += 1;
    try {
      return await work(body as B, ctx);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.logger.error('subtree call failed', { traceId: envelope.traceId, error: why });
      throw wireError('node_error', why);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.onIdle?.();
    }
  }
}
