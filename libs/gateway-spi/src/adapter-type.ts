import type { AdapterContractFixture } from './contract-fixture.js';
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
  /**
   * Options and sandbox fixture the contract suite (libs/contract-kit) runs this type with. Optional
   * for the tree, required by the contract run: a type without one fails it, naming the type.
   */
  readonly contract?: AdapterContractFixture;
}
