import type { SubtreeMarkets } from './market.js';

/** What ops see and control of a node without moving money: health and injected faults. */

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
  /** The markets of the sandbox leaves behind this node. */
  readonly markets?: SubtreeMarkets;
}
