import type { AdapterType, GatewayNode } from '#gateway-spi';
import { RouterNode } from '../router.node.js';
import { LowestCostStrategy } from '../strategies/lowest-cost.strategy.js';
import { PriorityStrategy } from '../strategies/priority.strategy.js';
import { RulesStrategy } from '../strategies/rules.strategy.js';
import { DEFAULT_SUCCESS_RATE } from '../strategies/success-rate/success-rate.settings.js';
import { SuccessRateStrategy } from '../strategies/success-rate/success-rate.strategy.js';
import type { RoutingStrategy } from '../strategies/strategy.js';
import { WeightedStrategy } from '../strategies/weighted.strategy.js';
import type { BuildTreeOptions, ExtraNodeType } from './extra-node-type.js';
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
    case 'lowest-cost':
      return new LowestCostStrategy();
    case 'success-rate': {
      const weights = new Map(config.children.map((child) => [child.id, child.weight ?? 1]));
      return new SuccessRateStrategy({ ...DEFAULT_SUCCESS_RATE, ...config.successRate, weights });
    }
  }
}

function checkCatalog(catalog: readonly AdapterType[], nodeTypes: readonly ExtraNodeType[]): void {
  const types = catalog.map((adapter) => adapter.type);
  const clash = types.find((type, index) => RESERVED_TYPES.includes(type) || types.indexOf(type) !== index);
  if (clash) throw new Error(`adapter catalog: type "${clash}" is reserved or listed twice`);
  const extras = nodeTypes.map((extra) => extra.type);
  const taken = extras.find((type, index) => type === 'router' || types.includes(type) || extras.indexOf(type) !== index);
  if (taken) throw new Error(`node types: type "${taken}" is already a router, an adapter type, or listed twice`);
}

/**
 * Validates `config` (throws `TreeConfigError` naming every bad node and field), then builds the nodes.
 * `options.nodeTypes` adds node types besides routers and adapters (e.g. `remote`).
 */
export function buildTree(config: unknown, catalog: readonly AdapterType[], options: BuildTreeOptions = {}): Tree {
  const nodeTypes = options.nodeTypes ?? [];
  checkCatalog(catalog, nodeTypes);
  const validated = validateTreeConfig(config, catalog, nodeTypes);
  const nodes = new Map<string, GatewayNode>();
  const paths = new Map<string, string[]>();
  const build = (node: NodeConfig, parentPath: string[]): GatewayNode => {
    const path = [...parentPath, node.id];
    const built =
      node.kind === 'adapter'
        ? catalog.find((adapter) => adapter.type === node.type)!.create(node.id, node.options)
        : node.kind === 'extra'
          ? nodeTypes.find((extra) => extra.type === node.type)!.create(node.id, node.config)
          : new RouterNode({
              id: node.id,
              strategy: strategyFor(node),
              children: node.children.map((child) => build(child, path)),
              ...(node.timeoutMs !== undefined && { timeoutMs: node.timeoutMs }),
              ...(node.statusTimeoutMs !== undefined && { statusTimeoutMs: node.statusTimeoutMs }),
              ...(node.quoteTimeoutMs !== undefined && { quoteTimeoutMs: node.quoteTimeoutMs }),
              ...(node.breaker !== undefined && { breaker: node.breaker }),
              ...(node.cascade !== undefined && { cascade: node.cascade }),
            });
    nodes.set(node.id, built);
    paths.set(node.id, path);
    return built;
  };
  const root = build(validated.root, []);
  return { root, nodes, paths };
}
