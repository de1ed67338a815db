import type { FaultChange, FaultSpec, HealthReport, MarketChange, MarketSpec, NodeDescriptor } from '#gateway-spi';

/**
 * The wire protocol between a remote node and the node-host serving its subtree. Every request is
 * an envelope with the remaining deadline budget and the trace id; every answer is the operation's
 * own result, or an RpcException carrying a `WireError`. Bump the version on incompatible changes.
 */
export const WIRE_VERSION = 1;

/**
 * `complete-action` and `notification` came later, still under version 1: adding operations is not an
 * incompatible change. A node-host that predates them does not answer them (no handler on TCP, no
 * subscriber on NATS), which the client takes as no answer: a completion stays `unknown` (asked
 * again later), a notification `unreachable` (its provider sends it again). The reverse mismatch is
 * safe too: an older client never sends a return URL, so the leaves behind it decline instead of
 * asking for the shopper, and a reply state it does not know fails its shape check (taken as unknown).
 * The stored-credential fields came later too: authorize bodies carry `initiator` and `storedCredential`
 * (checked when present) and answers `networkTransactionId` (a string or null). Leaves behind a
 * node-host that predates them do not know them, so run stored-credential payments only through
 * node-hosts of the same release. `set-market` and `reset-market` came later too: a node-host that
 * predates them does not answer them (ops hear `unreachable`) and describes no `markets`.
 */
export const REMOTE_OPERATIONS = [
  'authorize',
  'capture',
  'void',
  'refund',
  'status',
  'complete-action',
  'notification',
  'quote',
  'health',
  'describe',
  'set-fault',
  'clear-fault',
  'set-market',
  'reset-market',
] as const;
export type RemoteOperation = (typeof REMOTE_OPERATIONS)[number];

/** The message pattern of one operation, e.g. `canopy.eu.authorize` on NATS. */
export function patternOf(prefix: string, operation: RemoteOperation): string {
  return `${prefix}.${operation}`;
}

export interface WireRequest<T = unknown> {
  v: typeof WIRE_VERSION;
  traceId: string;
  /** What remains of the caller's deadline when the request left, in ms. */
  budgetMs: number;
  body: T;
}

/**
 * Why a node-host answered with an error instead of a result:
 * - `bad_request`: the envelope or body was not understood; nothing was done.
 * - `shutting_down`: the node-host is draining; nothing was done.
 * - `node_error`: the subtree failed while handling the call; it may have acted.
 */
export const WIRE_ERROR_KINDS = ['bad_request', 'shutting_down', 'node_error'] as const;
export type WireErrorKind = (typeof WIRE_ERROR_KINDS)[number];

export interface WireError {
  kind: WireErrorKind;
  message: string;
}

/** A typed error answer (never a transport failure, which arrives as an `Error`). */
export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false;
  const { kind, message } = value as Record<string, unknown>;
  return typeof message === 'string' && (WIRE_ERROR_KINDS as readonly unknown[]).includes(kind);
}

/** The subtree as its node-host sees it: the top node's description and the faults of its leaves. */
export interface SubtreeDescription {
  descriptor: NodeDescriptor;
  /** Faults of every node that takes faults (null: none set), by node id. */
  faults: Record<string, FaultSpec | null>;
  /** Markets of every sandbox leaf that has one (null: none set), by node id; absent from older node-hosts. */
  markets?: Record<string, MarketSpec | null>;
}

export interface HealthReply {
  report: HealthReport;
  described: SubtreeDescription;
}

export interface FaultRequest {
  nodeId: string;
  /** The fault to set; null clears it. */
  fault: FaultSpec | null;
}

export type FaultReply = FaultChange;

export interface MarketRequest {
  nodeId: string;
  /** The market to set (camelCase, checked by the leaf); null resets it to the leaf's tree config. */
  market: MarketSpec | null;
}

export type MarketReply = MarketChange;
