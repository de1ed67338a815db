import type { AttemptOutcome, GatewayNode, Quote, RoutingFacts, UnifiedCode } from '#gateway-spi';

export const STRATEGY_NAMES = ['rules', 'weighted', 'priority', 'lowest-cost', 'success-rate'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];
/** The strategies that can be built (all of them). */
export type AvailableStrategyName = StrategyName;

/** A child with the verdict of its capabilities on the payment: `misfit` is null when it can take it. */
export interface FittedChild {
  node: GatewayNode;
  misfit: string | null;
  /** False when the router's breaker for the child is open (the router leaves it out of the plan). */
  admitted?: boolean;
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

/**
 * Orders a router's children for one payment. Pure (same facts and quotes, same plan), except for
 * a strategy that learns from outcomes (`observe`): same facts and same outcomes seen, same plan.
 */
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
  /** The settled outcome of an attempt this router sent to child `childId` (strategies that learn). */
  observe?(facts: RoutingFacts, childId: string, outcome: AttemptOutcome, code: UnifiedCode | null): void;
}

export function misfitsOf(children: readonly FittedChild[]): string {
  return children.map((c) => c.misfit ?? `${c.node.id} fits`).join(', ');
}
