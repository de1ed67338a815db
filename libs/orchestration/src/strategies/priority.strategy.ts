import type { RoutingFacts } from '#gateway-spi';
import { misfitsOf, type FittedChild, type RoutePlan, type RoutingStrategy } from './strategy.js';

/** Children in config order: the first is preferred, the others are its failover. */
export class PriorityStrategy implements RoutingStrategy {
  readonly name = 'priority';

  plan(_facts: RoutingFacts, children: readonly FittedChild[]): RoutePlan {
    const candidates = children.flatMap((child, index) =>
      child.misfit ? [] : [{ node: child.node, reason: `priority ${index + 1}/${children.length} → ${child.node.id}` }],
    );
    return candidates.length > 0 ? { candidates } : { candidates, none: `no child can take it (${misfitsOf(children)})` };
  }
}
