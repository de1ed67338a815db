/** What a node says about itself: its kind, what its subtree can take, where it crosses into another process. */

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
