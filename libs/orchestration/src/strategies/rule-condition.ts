import type { Initiator, RoutingFacts } from '#gateway-spi';

/** A rule's `when`: every condition given must hold. Lists are normalized (currency/country upper case). */
export interface RuleCondition {
  currency?: string[];
  country?: string[];
  method?: string[];
  brand?: string[];
  minAmount?: number;
  maxAmount?: number;
  merchant?: string[];
  /** Who starts the payment; a payment whose facts name none is customer-initiated. */
  initiator?: Initiator[];
}

export interface RoutingRule {
  when: RuleCondition;
  /** Child id. */
  to: string;
}

const inList = (list: readonly string[] | undefined, value: string | undefined) => !list || (value !== undefined && list.includes(value));

export function ruleMatches(when: RuleCondition, facts: RoutingFacts): boolean {
  return (
    inList(when.currency, facts.currency.toUpperCase()) &&
    inList(when.country, facts.country?.toUpperCase()) &&
    inList(when.method, facts.method) &&
    inList(when.brand, facts.brand) &&
    inList(when.merchant, facts.merchantId) &&
    inList(when.initiator, facts.initiator ?? 'customer') &&
    (when.minAmount === undefined || facts.amount >= when.minAmount) &&
    (when.maxAmount === undefined || facts.amount <= when.maxAmount)
  );
}

/** "currency∈[EUR,GBP], amount≥100": how a rule reads in a routing reason. */
export function describeCondition(when: RuleCondition): string {
  const parts: string[] = [];
  for (const key of ['currency', 'country', 'method', 'brand', 'merchant', 'initiator'] as const) {
    const list = when[key];
    if (list) parts.push(`${key}∈[${list.join(',')}]`);
  }
  if (when.minAmount !== undefined) parts.push(`amount≥${when.minAmount}`);
  if (when.maxAmount !== undefined) parts.push(`amount≤${when.maxAmount}`);
  return parts.length > 0 ? parts.join(', ') : 'any';
}
