import type { RoutingFacts } from '#gateway-spi';
import { stableHash } from './stable-hash.js';
import { misfitsOf, type FittedChild, type RoutePlan, type RoutingStrategy } from './strategy.js';

/**
 * Deterministic split by payment id among the children that fit: hash(paymentId) mod total weight
 * picks a bucket. The others follow as failover, heaviest first (config order among equals).
 */
export class WeightedStrategy implements RoutingStrategy {
  readonly name = 'weighted';

  constructor(private readonly weights: ReadonlyMap<string, number>) {}

  plan(facts: RoutingFacts, children: readonly FittedChild[]): RoutePlan {
    const fitting = children.filter((c) => !c.misfit).map((c) => ({ node: c.node, weight: this.weights.get(c.node.id) ?? 0 }));
    const total = fitting.reduce((sum, c) => sum + c.weight, 0);
    if (total <= 0) return { candidates: [], none: `no weighted child can take it (${misfitsOf(children)})` };
    const label = `weighted ${fitting.map((c) => c.weight).join('/')}`;
    let ticket = stableHash(facts.paymentId) % total;
    const chosen = fitting.find((c) => (ticket -= c.weight) < 0)!;
    const fallbacks = fitting.filter((c) => c !== chosen).sort((a, b) => b.weight - a.weight);
    return {
      candidates: [
        { node: chosen.node, reason: `${label} → ${chosen.node.id}` },
        ...fallbacks.map((c) => ({ node: c.node, reason: `${label} fallback → ${c.node.id}` })),
      ],
    };
  }

  /** Without a payment id: heaviest first, each with its share, since the pick is made per payment. */
  expectedPlan(_facts: RoutingFacts, children: readonly FittedChild[]): RoutePlan {
    const fitting = children.filter((c) => !c.misfit).map((c) => ({ node: c.node, weight: this.weights.get(c.node.id) ?? 0 }));
    const total = fitting.reduce((sum, c) => sum + c.weight, 0);
    if (total <= 0) return { candidates: [], none: `no weighted child can take it (${misfitsOf(children)})` };
    const label = `weighted ${fitting.map((c) => c.weight).join('/')}`;
    const percent = (weight: number) => `${Math.round((weight * 100) / total)}% of payments, by payment id`;
    return {
      candidates: [...fitting]
        .sort((a, b) => b.weight - a.weight)
        .map((c) => ({ node: c.node, reason: `${label} → ${c.node.id} (${percent(c.weight)})` })),
    };
  }
}
