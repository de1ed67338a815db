import type { NodeOptions } from '#gateway-spi';
import type { RoutingRule } from '../strategies/rule-condition.js';
import type { AvailableStrategyName } from '../strategies/strategy.js';

/** A validated tree config (snake_case fields of the file mapped to camelCase). */
export interface TreeConfig {
  root: NodeConfig;
}

export type NodeConfig = RouterNodeConfig | AdapterNodeConfig;

export interface RouterNodeConfig {
  kind: 'router';
  id: string;
  strategy: AvailableStrategyName;
  rules: RoutingRule[];
  default?: string;
  timeoutMs?: number;
  statusTimeoutMs?: number;
  /** Set when the parent is a weighted router. */
  weight?: number;
  children: NodeConfig[];
}

export interface AdapterNodeConfig {
  kind: 'adapter';
  id: string;
  /** An adapter type of the catalog. */
  type: string;
  options: NodeOptions;
  weight?: number;
}
