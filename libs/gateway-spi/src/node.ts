import type { NodeContext } from './context.js';
import type { NodeDescriptor } from './descriptors.js';
import type {
  AuthorizeOutcome,
  AuthorizeRequest,
  CaptureRequest,
  OperationOutcome,
  Quote,
  QuoteRequest,
  RefundRequest,
  RoutingFacts,
  StatusOutcome,
  StatusRequest,
  VoidRequest,
} from './money-operations.js';
import type { NotificationAnswer, ProviderNotification } from './notifications.js';
import type { CompleteActionRequest } from './shopper-action.js';
import type { FaultControl, HealthReport, SubtreeOps } from './ops-surfaces.js';
import type { MarketControl } from './market.js';
import type { BreakerSnapshot, PreviewOptions, RoutePreview } from './routing-insight.js';

/**
 * The one interface every node of the tree implements: adapters (leaves), routers and remotes.
 * Operations never throw for provider problems; they return normalized outcomes.
 */
export interface GatewayNode {
  readonly id: string;
  describe(): NodeDescriptor;
  authorize(request: AuthorizeRequest, ctx: NodeContext): Promise<AuthorizeOutcome>;
  capture(request: CaptureRequest, ctx: NodeContext): Promise<OperationOutcome>;
  void(request: VoidRequest, ctx: NodeContext): Promise<OperationOutcome>;
  refund(request: RefundRequest, ctx: NodeContext): Promise<OperationOutcome>;
  status(request: StatusRequest, ctx: NodeContext): Promise<StatusOutcome>;
  /**
   * The shopper is back (or the merchant confirms): the leaf holding the attempt finishes what its
   * provider asked for and says where the attempt stands, as `status` does. Addressed by path like
   * `status`; a leaf that never asks for the shopper answers its `status`.
   */
  completeAction(request: CompleteActionRequest, ctx: NodeContext): Promise<StatusOutcome>;
  /**
   * A provider's message for the node `notification.nodeId`, wherever it is below this node: that
   * leaf verifies its signature and turns it into facts. Changes nothing itself: the root applies them.
   */
  parseNotification(notification: ProviderNotification, ctx: NodeContext): Promise<NotificationAnswer>;
  quote(request: QuoteRequest, ctx: NodeContext): Promise<Quote>;
  health(ctx: NodeContext): Promise<HealthReport>;
  /** Child nodes (routers only), for tree walks. */
  children?(): readonly GatewayNode[];
  /** Present on nodes that accept injected faults (sandbox leaves). */
  readonly faults?: FaultControl;
  /** Present on sandbox leaves whose approvals, declines and latency follow a seeded market. */
  readonly market?: MarketControl;
  /**
   * Routers: the ordered candidate leaves of a payment with their quotes and every level's reason,
   * nested routers expanded, without moving money (routing preview). Nodes without it count as leaves.
   */
  preview?(facts: RoutingFacts, ctx: NodeContext, options?: PreviewOptions): Promise<RoutePreview>;
  /** Routers: the circuit breaker kept for each child, by child id (ops tree view). */
  childBreakers?(): Record<string, BreakerSnapshot>;
  /** Present on nodes that front nodes living in another process (remote subtrees), for ops calls. */
  readonly subtreeOps?: SubtreeOps;
  /** Acquires what the node holds (connections); called once the tree is built. Never throws. */
  open?(): Promise<void>;
  /** Releases what `open` or later calls acquired; called at shutdown. */
  close?(): Promise<void>;
}
