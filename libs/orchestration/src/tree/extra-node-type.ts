import type { GatewayNode } from '#gateway-spi';

/**
 * A node type besides routers and the catalog's adapters (e.g. `remote`), registered by the
 * composition root: `buildTree(config, catalog, { nodeTypes })`. The orchestration stays free of
 * whatever such a node needs (a transport, a client library).
 */
export interface ExtraNodeType {
  readonly type: string;
  readonly description: string;
  /** Config fields the type takes besides `id`, `type` and `weight`. */
  readonly fields: readonly string[];
  /** Problems of the node's raw config mapping, each naming its field; empty when it is fine. */
  validate(config: Readonly<Record<string, unknown>>): string[];
  create(id: string, config: Readonly<Record<string, unknown>>): GatewayNode;
}

export interface BuildTreeOptions {
  nodeTypes?: readonly ExtraNodeType[];
}
