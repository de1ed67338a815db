import type { GatewayNode } from './node.js';

/** Options of a node as written in the tree config (`options:` of a leaf). */
export type NodeOptions = Record<string, unknown>;

/**
 * A registered adapter factory. The tree config names it by `type`; the catalog lists them.
 * `validateOptions` returns human-readable problems (field named), empty when the options are fine.
 */
export interface AdapterType {
  readonly type: string;
  readonly description: string;
  validateOptions(options: NodeOptions): string[];
  create(id: string, options: NodeOptions): GatewayNode;
}
