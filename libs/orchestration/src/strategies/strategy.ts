import type { GatewayNode, Quote, RoutingFacts } from '#gateway-spi';

export const STRATEGY_NAMES = ['rules', 'weighted', 'priority', 'lowest-cost'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];
/** The strategies that can be built (all of them, since `lowest-cost` landed). */
export type AvailableStrategyName = StrategyName;

/** A child with the verdict of its capabilities on the payment: `misfit` is null when it can take it. */
export interface FittedChild {
  node: GatewayNode;
  misfit: string | null;
}

export interface RouteCandidate {
  node: GatewayNode;
  /** Human reason for this router's choice, e.g. "weighted 70/30 → sim-alpha". */
  reason: string;
  /** The child's quote, when the strategy planned with quotes (`lowest-cost`). */
  quote?: Quote;
}

export interface RoutePlan {
  /** Children to try, in order; only children whose capabilities fit. */
  candidates: RouteCandidate[];
  /** Why there are no candidates (set when `candidates` is empty). */
  none?: string;
}

/** The quotes of the children that fit, by child id (a child that missed its deadline has an ineligible quote). */
export type ChildQuotes = ReadonlyMap<string, Quote>;

/** Orders a router's children for one payment. Pure: same facts (and quotes), same plan. */
export interface RoutingStrategy {
  readonly name: StrategyName;
  /** True when `plan` needs the fitting children's quotes: the router gathers them first. */
  readonly needsQuotes?: boolean;
  plan(facts: RoutingFacts, children: readonly FittedChild[], quotes?: ChildQuotes): RoutePlan;
  /**
   * The plan of a payment that does not exist yet (routing preview without a payment id), for
   * strategies whose `plan` depends on the payment id: the children by their share of payments.
   */
  expectedPlan?(facts: RoutingFacts, children: readonly FittedChild[]): RoutePlan;
}

export function misfitsOf(children: readonly FittedChild[]): string {
  return children.map((c) => c.misfit ?? `${c.node.id} fits`).join(', ');
}
