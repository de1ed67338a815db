import type { Initiator } from '#gateway-spi';
import type { RoutingRule, RuleCondition } from '../strategies/rule-condition.js';
import { checkKeys, isMapping, nonNegativeInteger, stringList, type Report } from './config-fields.js';

const BRANDS = ['visa', 'mastercard', 'amex', 'discover', 'jcb', 'diners', 'unionpay', 'unknown'];
const CONDITIONS = ['currency', 'country', 'method', 'brand', 'min_amount', 'max_amount', 'merchant', 'initiator'];
const INITIATORS: readonly Initiator[] = ['customer', 'merchant'];

function condition(raw: unknown, field: string, report: Report): RuleCondition {
  if (!isMapping(raw)) {
    report(`${field} must be a mapping of conditions (${CONDITIONS.join(', ')})`);
    return {};
  }
  checkKeys(raw, CONDITIONS, `${field}.`, report);
  const upper = (list: string[] | undefined) => list?.map((item) => item.toUpperCase());
  const when: RuleCondition = {
    currency: upper(stringList(raw.currency, `${field}.currency`, /^[A-Za-z]{3}$/, 'ISO 4217 currency codes', report)),
    country: upper(stringList(raw.country, `${field}.country`, /^[A-Za-z]{2}$/, 'ISO 3166-1 alpha-2 country codes', report)),
    method: stringList(raw.method, `${field}.method`, /^[a-z_]+$/, 'payment method types', report),
    brand: stringList(raw.brand, `${field}.brand`, new RegExp(`^(${BRANDS.join('|')})$`), `card brands (${BRANDS.join(', ')})`, report),
    minAmount: nonNegativeInteger(raw.min_amount, `${field}.min_amount`, report),
    maxAmount: nonNegativeInteger(raw.max_amount, `${field}.max_amount`, report),
    merchant: stringList(raw.merchant, `${field}.merchant`, /^\S+$/, 'merchant ids', report),
    initiator: stringList(raw.initiator, `${field}.initiator`, new RegExp(`^(${INITIATORS.join('|')})$`), `initiators (${INITIATORS.join(', ')})`, report) as
      | Initiator[]
      | undefined,
  };
  if (when.minAmount !== undefined && when.maxAmount !== undefined && when.minAmount > when.maxAmount) {
    report(`${field}.min_amount must not exceed ${field}.max_amount`);
  }
  return Object.fromEntries(Object.entries(when).filter(([, value]) => value !== undefined)) as RuleCondition;
}

/** `rules:` of a rules router; each `to` must be one of `childIds`. */
export function validateRules(raw: unknown, childIds: readonly string[], report: Report): RoutingRule[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    report('rules must be a list of {when, to}');
    return [];
  }
  return raw.flatMap((item, index): RoutingRule[] => {
    const field = `rules[${index}]`;
    if (!isMapping(item)) {
      report(`${field} must be a mapping with when and to`);
      return [];
    }
    checkKeys(item, ['when', 'to'], `${field}.`, report);
    const when = condition(item.when ?? {}, `${field}.when`, report);
    if (typeof item.to !== 'string') {
      report(`${field}.to must name a child (children: ${childIds.join(', ')})`);
      return [];
    }
    if (!childIds.includes(item.to)) report(`${field}.to "${item.to}" is not a child (children: ${childIds.join(', ')})`);
    return [{ when, to: item.to }];
  });
}
