import type { NodeOptions } from '#gateway-spi';
import type { CascadeSettings } from '../cascade-policy.js';
import type { BreakerSettings } from '../child-breaker.js';
import type { SuccessRateConfig } from './success-rate-config.validate.js';
import type { RoutingRule } from '../strategies/rule-condition.js';
import type { AvailableStrategyName } from '../strategies/strategy.js';

/** A validated tree config (snake_case fields of the file mapped to camelCase). */
export interface TreeConfig {
  root: NodeConfig;
}

export type NodeConfig = RouterNodeConfig | AdapterNodeConfig | ExtraNodeConfig;

export interface RouterNodeConfig {
  kind: 'router';
  id: string;
  strategy: AvailableStrategyName;
  rules: RoutingRule[];
  default?: string;
  timeoutMs?: number;
  statusTimeoutMs?: number;
  quoteTimeoutMs?: number;
  breaker?: Partial<BreakerSettings>;
  cascade?: Partial<CascadeSettings>;
  /** Set when the strategy is success-rate (defaults filled in). */
  successRate?: SuccessRateConfig;
  /** Set when the parent is a weighted or success-rate router. */
  weight?: number;
  children: NodeConfig[];
}

export interface AdapterNodeConfig {
  kind: 'adapter';
  id: string;
  /** An adapter type of the catalog. */
  type: string;
  options: NodeOptions;
  /** Set when the parent is a weighted or success-rate router. */
  weight?: number;
}

/** A node of a type registered with `buildTree(…, { nodeTypes })`, e.g. `remote`. */
export interface ExtraNodeConfig {
  kind: 'extra';
  id: string;
  type: string;
  /** The node's raw config mapping (validated by its type). */
  config: Readonly<Record<string, unknown>>;
  weight?: number;
}
