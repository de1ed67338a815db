import type { AdapterType, GatewayNode } from '#gateway-spi';
import { RouterNode } from '../router.node.js';
import { PriorityStrategy } from '../strategies/priority.strategy.js';
import { RulesStrategy } from '../strategies/rules.strategy.js';
import type { RoutingStrategy } from '../strategies/strategy.js';
import { WeightedStrategy } from '../strategies/weighted.strategy.js';
import { validateTreeConfig } from './tree-config.validate.js';
import type { NodeConfig, RouterNodeConfig } from './tree-config.types.js';

export interface Tree {
  root: GatewayNode;
  /** Every node of the tree (routers and leaves) by id; ids are unique across the tree. */
  nodes: ReadonlyMap<string, GatewayNode>;
  /** Each node's route path from the root, e.g. sim-alpha → ["root", "eu", "sim-alpha"]. */
  paths: ReadonlyMap<string, string[]>;
}

const RESERVED_TYPES = ['router', 'remote'];

function strategyFor(config: RouterNodeConfig): RoutingStrategy {
  switch (config.strategy) {
    case 'rules':
      return new RulesStrategy(config.rules, config.default);
    case 'weighted':
      return new WeightedStrategy(new Map(config.children.map((child) => [child.id, child.weight ?? 0])));
    case 'priority':
      return new PriorityStrategy();
  }
}

function checkCatalog(catalog: readonly AdapterType[]): void {
  const types = catalog.map((adapter) => adapter.type);
  const clash = types.find((type, index) => RESERVED_TYPES.includes(type) || types.indexOf(type) !== index);
  if (clash) throw new Error(`adapter catalog: type "${clash}" is reserved or listed twice`);
}

/** Validates `config` (throws `TreeConfigError` naming every bad node and field), then builds the nodes. */
export function buildTree(config: unknown, catalog: readonly AdapterType[]): Tree {
  checkCatalog(catalog);
  const validated = validateTreeConfig(config, catalog);
  const nodes = new Map<string, GatewayNode>();
  const paths = new Map<string, string[]>();
  const build = (node: NodeConfig, parentPath: string[]): GatewayNode => {
    const path = [...parentPath, node.id];
    const built =
      node.kind === 'adapter'
        ? catalog.find((adapter) => adapter.type === node.type)!.create(node.id, node.options)
        : new RouterNode({
            id: node.id,
            strategy: strategyFor(node),
            children: node.children.map((child) => build(child, path)),
            ...(node.timeoutMs !== undefined && { timeoutMs: node.timeoutMs }),
            ...(node.statusTimeoutMs !== undefined && { statusTimeoutMs: node.statusTimeoutMs }),
          });
    nodes.set(node.id, built);
    paths.set(node.id, path);
    return built;
  };
  const root = build(validated.root, []);
  return { root, nodes, paths };
}
