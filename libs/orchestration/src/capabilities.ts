import type { Capabilities, RoutingFacts } from '#gateway-spi';

/** Why a node with these capabilities cannot take the payment, or null when it can. */
export function capabilityMisfit(id: string, caps: Capabilities, facts: Pick<RoutingFacts, 'currency' | 'method' | 'country'>): string | null {
  const currency = facts.currency.toUpperCase();
  if (!caps.currencies.includes(currency)) return `${id} does not take ${currency}`;
  if (!caps.paymentMethods.includes(facts.method)) return `${id} does not take method ${facts.method}`;
  // A payment without a customer country cannot be excluded by country.
  const country = facts.country?.toUpperCase();
  if (caps.countries && country !== undefined && !caps.countries.includes(country)) return `${id} does not serve country ${country}`;
  return null;
}

/** What a router can take: anything one of its children can. */
export function unionCapabilities(all: readonly Capabilities[]): Capabilities {
  const union = (lists: string[][]) => [...new Set(lists.flat())];
  return {
    currencies: union(all.map((c) => c.currencies)),
    paymentMethods: union(all.map((c) => c.paymentMethods)),
    countries: all.some((c) => c.countries === null) ? null : union(all.map((c) => c.countries ?? [])),
    partialCapture: all.some((c) => c.partialCapture),
    multipleRefunds: all.some((c) => c.multipleRefunds),
  };
}
