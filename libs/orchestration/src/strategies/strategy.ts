import type { GatewayNode, RoutingFacts } from '#gateway-spi';

export const STRATEGY_NAMES = ['rules', 'weighted', 'priority', 'lowest-cost'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];
/** The strategies that can be built today; `lowest-cost` is planned (issue #5). */
export type AvailableStrategyName = Exclude<StrategyName, 'lowest-cost'>;

/** A child with the verdict of its capabilities on the payment: `misfit` is null when it can take it. */
export interface FittedChild {
  node: GatewayNode;
  misfit: string | null;
}

export interface RouteCandidate {
  node: GatewayNode;
  /** Human reason for this router's choice, e.g. "weighted 70/30 → sim-alpha". */
  reason: string;
}

export interface RoutePlan {
  /** Children to try, in order; only children whose capabilities fit. */
  candidates: RouteCandidate[];
  /** Why there are no candidates (set when `candidates` is empty). */
  none?: string;
}

/** Orders a router's children for one payment. Pure: same facts, same plan. */
export interface RoutingStrategy {
  readonly name: AvailableStrategyName;
  plan(facts: RoutingFacts, children: readonly FittedChild[]): RoutePlan;
}

export function misfitsOf(children: readonly FittedChild[]): string {
  return children.map((c) => c.misfit ?? `${c.node.id} fits`).join(', ');
}
