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
import type { FaultControl, HealthReport, SubtreeOps } from './ops-surfaces.js';
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
  quote(request: QuoteRequest, ctx: NodeContext): Promise<Quote>;
  health(ctx: NodeContext): Promise<HealthReport>;
  /** Child nodes (routers only), for tree walks. */
  children?(): readonly GatewayNode[];
  /** Present on nodes that accept injected faults (sandbox leaves). */
  readonly faults?: FaultControl;
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
