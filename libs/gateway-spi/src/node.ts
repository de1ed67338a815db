import type { CardBrand, MaskedCard } from './card.js';
import type { UnifiedCode } from './codes.js';
import type { NodeContext } from './context.js';
import type { BreakerSnapshot, PreviewOptions, RoutePreview } from './routing-insight.js';

export type NodeKind = 'adapter' | 'router' | 'remote';

/** What a subtree can take. A router's capabilities are the union of its children's. */
export interface Capabilities {
  /** ISO 4217 codes, upper case. */
  currencies: string[];
  paymentMethods: string[];
  /** ISO 3166-1 alpha-2 codes; `null` means any country. */
  countries: string[] | null;
  partialCapture: boolean;
  multipleRefunds: boolean;
}

export interface NodeDescriptor {
  id: string;
  kind: NodeKind;
  /** The adapter type as registered in the catalog, `router`, or `remote`. */
  type: string;
  strategy?: string;
  capabilities: Capabilities;
  children?: NodeDescriptor[];
  /** Set on a node whose children live in another process (a remote subtree): where the boundary is. */
  boundary?: ProcessBoundary;
}

/** Where a subtree crosses into another process, as shown by the ops tree view. */
export interface ProcessBoundary {
  /** The wire, e.g. `tcp` or `nats`. */
  transport: string;
  /** Where the other process is reached, e.g. `127.0.0.1:4100` or `nats://127.0.0.1:4222 canopy.eu`. */
  target: string;
  /** When the subtree behind the boundary was last described over the wire (ISO 8601), null if never. */
  describedAt: string | null;
}

/**
 * Card data as the leaf that charges needs it. It lives in memory for the duration of one call
 * and is never persisted, logged, or returned in an outcome; outcomes carry `MaskedCard` only.
 */
export interface CardPaymentMethod {
  type: 'card';
  card: { number: string; expMonth: number; expYear: number; cvc?: string };
  /** Derived once by the root, so routers can route by brand without touching the number. */
  display: MaskedCard;
}

export type PaymentMethod = CardPaymentMethod;

/** The routing-relevant facts of a payment: enough to route, quote or preview, no card data. */
export interface RoutingFacts {
  amount: number;
  currency: string;
  method: string;
  brand?: CardBrand;
  country?: string;
  merchantId?: string;
  /** Deterministic routing input (weighted split). */
  paymentId: string;
}

export interface AuthorizeRequest {
  paymentId: string;
  /** Passed by the leaf to its provider as idempotency key: the same attempt id never charges twice. */
  attemptId: string;
  /** 1-based position of this attempt among the payment's attempts (see `attemptIdFor`). */
  attemptSeq: number;
  merchantId: string;
  amount: number;
  currency: string;
  /** Capture in the same call (true) or authorize only (false). */
  capture: boolean;
  paymentMethod: PaymentMethod;
  customerCountry?: string;
  metadata: Record<string, string>;
}

export type AttemptOutcome = 'approved' | 'declined' | 'failed' | 'unknown';

/** One try of one operation on one leaf, with why it went there. */
export interface AttemptRecord {
  attemptId: string;
  attemptSeq: number;
  /** Node ids from the node that returned this record down to the leaf. */
  path: string[];
  outcome: AttemptOutcome;
  code: UnifiedCode | null;
  /** Routing decisions from the top down, e.g. "rule currency∈[EUR] → eu; weighted 70/30 → sim-alpha". */
  reason: string;
  latencyMs: number;
  providerReference: string | null;
}

export interface AuthorizeOutcome {
  /** `unknown`: the provider may have charged; the payment must stay pending until `status` settles it. */
  outcome: AttemptOutcome;
  code: UnifiedCode | null;
  message: string | null;
  /** True only when the outcome proves no money moved, so another child may be tried. */
  retryable: boolean;
  providerReference: string | null;
  /** Path of the leaf whose result this is, from the answering node down. */
  path: string[];
  /** Amount captured by this call (`capture: true` and approved), else 0. */
  amountCaptured: number;
  /** Every attempt made, in order; the last one produced this outcome. */
  attempts: AttemptRecord[];
}

/** Addresses an earlier attempt down its recorded route path. */
export interface AttemptAddress {
  /** Node ids from the addressed node down to the leaf, e.g. ["root", "eu", "sim-alpha"]. */
  path: string[];
  attemptId: string;
  providerReference: string | null;
}

export interface CaptureRequest extends AttemptAddress {
  /** Idempotency key of this operation at the provider. */
  operationId: string;
  amount: number;
  currency: string;
}

export type VoidRequest = AttemptAddress & { operationId: string };

export interface RefundRequest extends AttemptAddress {
  operationId: string;
  amount: number;
  currency: string;
  reason?: string;
}

export interface OperationOutcome {
  outcome: 'succeeded' | 'failed' | 'unknown';
  code: UnifiedCode | null;
  message: string | null;
  providerReference: string | null;
}

export type StatusRequest = AttemptAddress;

export interface StatusOutcome {
  /** `not_found`: the provider never charged this attempt. `unknown`: no answer. */
  state: 'approved' | 'declined' | 'failed' | 'not_found' | 'unknown';
  code: UnifiedCode | null;
  providerReference: string | null;
  amountAuthorized: number;
  amountCaptured: number;
  amountRefunded: number;
  voided: boolean;
}

/** A status that reports no money: the provider never charged the attempt, or nobody could say. */
export function statusWithoutMoney(state: 'not_found' | 'unknown', code: UnifiedCode | null = null): StatusOutcome {
  return { state, code, providerReference: null, amountAuthorized: 0, amountCaptured: 0, amountRefunded: 0, voided: false };
}

export type QuoteRequest = RoutingFacts;

export interface Quote {
  eligible: boolean;
  /** Fee in minor units of the payment currency. */
  fee: number;
  /** Path from the answering node down to the leaf that would take the payment. */
  path: string[];
  reason: string;
}

export interface HealthReport {
  id: string;
  status: 'up' | 'degraded' | 'down';
  /** True when some children did not answer within their deadline. */
  partial?: boolean;
  detail?: string;
  children?: HealthReport[];
}

export type FaultMode = 'down' | 'error' | 'timeout' | 'slow';

export interface FaultSpec {
  mode: FaultMode;
  latencyMs?: number;
  /** Share of calls affected, 0–1. */
  rate?: number;
}

/** Optional control surface for sandbox leaves, found by capability, never by type. */
export interface FaultControl {
  setFault(fault: FaultSpec): void;
  clearFault(): void;
  currentFault(): FaultSpec | null;
}

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

/** The answer to a fault change addressed by node id, wherever that node lives. */
export type FaultChange =
  | { ok: true; fault: FaultSpec | null }
  | { ok: false; reason: 'not_found' | 'not_supported' | 'invalid' | 'unreachable'; message: string };

/**
 * Ops control of the nodes behind a node that are not objects of this process (a remote subtree),
 * found by capability, never by type. Ids are those of the last description of the subtree.
 */
export interface SubtreeOps {
  /** True when `nodeId` is one of the nodes behind this node, as last described. */
  has(nodeId: string): boolean;
  /** Faults of the nodes behind this node that take faults (null: none set), as last reported. */
  faults(): Readonly<Record<string, FaultSpec | null>>;
  setFault(nodeId: string, fault: FaultSpec): Promise<FaultChange>;
  clearFault(nodeId: string): Promise<FaultChange>;
}

/** Deterministic attempt ids: `att_<payment suffix>_<seq>`, so a lost attempt can still be asked about. */
export function attemptIdFor(paymentId: string, seq: number): string {
  return `att_${paymentId.replace(/^pay_/, '')}_${seq}`;
}

/** The payment id and seq an `attemptIdFor` id was made from, or null for another shape of id. */
export function parseAttemptId(attemptId: string): { paymentId: string; seq: number } | null {
  const match = /^att_(.+)_([1-9]\d*)$/.exec(attemptId);
  return match ? { paymentId: `pay_${match[1]}`, seq: Number(match[2]) } : null;
}
