import type { Quote, RoutingFacts } from '#gateway-spi';
import { type ChildQuotes, type FittedChild, type RoutePlan, type RoutingStrategy } from './strategy.js';

/**
 * The children that fit, cheapest quote first, the others in fee order as failover (config order
 * among equal fees). A child whose quote is not eligible, or did not come before its deadline, is
 * left out. The router gathers the quotes (in parallel, under a deadline) before planning.
 */
export class LowestCostStrategy implements RoutingStrategy {
  readonly name = 'lowest-cost';
  readonly needsQuotes = true;

  plan(_facts: RoutingFacts, children: readonly FittedChild[], quotes: ChildQuotes = new Map()): RoutePlan {
    const quoted = children.flatMap((child): { child: FittedChild; quote: Quote }[] => {
      const quote = quotes.get(child.node.id);
      return !child.misfit && quote?.eligible ? [{ child, quote }] : [];
    });
    if (quoted.length === 0) {
      const why = children.map((child) => child.misfit ?? quotes.get(child.node.id)?.reason ?? `${child.node.id}: no quote`);
      return { candidates: [], none: `no child quoted (${why.join(', ')})` };
    }
    // Array.prototype.sort is stable: equal fees keep config order.
    const ranked = [...quoted].sort((a, b) => a.quote.fee - b.quote.fee);
    const candidates = ranked.map(({ child, quote }, index) => ({
      node: child.node,
      quote,
      reason: index === 0 ? `lowest-cost fee ${quote.fee} → ${child.node.id}` : `lowest-cost ${index + 1}/${ranked.length} fee ${quote.fee} → ${child.node.id}`,
    }));
    return { candidates };
  }
}
