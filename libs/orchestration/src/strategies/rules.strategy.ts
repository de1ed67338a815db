import type { RoutingFacts } from '#gateway-spi';
import { describeCondition, ruleMatches, type RoutingRule } from './rule-condition.js';
import type { FittedChild, RouteCandidate, RoutePlan, RoutingStrategy } from './strategy.js';

/**
 * The first matching rule whose target can take the payment, else the default. Rules pick ONE
 * route: there is no failover to siblings here, since a rule is a business decision (e.g. EUR stays
 * in the EU); failover happens inside the chosen subtree. A matching rule whose target's
 * capabilities do not fit is skipped (and says so in the reason) rather than failing the payment.
 */
export class RulesStrategy implements RoutingStrategy {
  readonly name = 'rules';

  constructor(
    private readonly rules: readonly RoutingRule[],
    private readonly fallback: string | undefined,
  ) {}

  plan(facts: RoutingFacts, children: readonly FittedChild[]): RoutePlan {
    const skipped: string[] = [];
    const pick = (id: string, reason: string): RouteCandidate | null => {
      const child = children.find((c) => c.node.id === id);
      if (!child) {
        skipped.push(`${reason} skipped: no such child`);
        return null;
      }
      if (child.misfit) {
        skipped.push(`${reason} skipped: ${child.misfit}`);
        return null;
      }
      return { node: child.node, reason: skipped.length > 0 ? `${reason} (${skipped.join(', ')})` : reason };
    };
    for (const rule of this.rules) {
      if (!ruleMatches(rule.when, facts)) continue;
      const candidate = pick(rule.to, `rule ${describeCondition(rule.when)} → ${rule.to}`);
      if (candidate) return { candidates: [candidate] };
    }
    if (this.fallback !== undefined) {
      const candidate = pick(this.fallback, `default → ${this.fallback}`);
      if (candidate) return { candidates: [candidate] };
    }
    const why = skipped.length > 0 ? skipped.join(', ') : 'no rule matched and there is no default';
    return { candidates: [], none: why };
  }
}
