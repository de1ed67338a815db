import type { SimulatorOptions } from './simulator.options.js';

/** fee = fee_fixed + ceil(amount × fee_bps / 10 000), in minor units; integer arithmetic throughout. */
export function simulatorFee(amount: number, options: Pick<SimulatorOptions, 'feeBps' | 'feeFixed'>): number {
  return options.feeFixed + Math.ceil((amount * options.feeBps) / 10_000);
}

/** Why this leaf cannot take a payment, or null when it can. */
export function eligibilityProblem(
  facts: { currency: string; country?: string },
  options: Pick<SimulatorOptions, 'currencies' | 'countries'>,
): { code: 'currency_not_supported' | 'no_route'; message: string } | null {
  const currency = facts.currency.toUpperCase();
  if (!options.currencies.includes(currency)) {
    return { code: 'currency_not_supported', message: `currency ${currency} is not supported (supported: ${options.currencies.join(', ')})` };
  }
  const country = facts.country?.toUpperCase();
  if (options.countries && country !== undefined && !options.countries.includes(country)) {
    return { code: 'no_route', message: `customer country ${country} is not served (served: ${options.countries.join(', ')})` };
  }
  return null;
}
