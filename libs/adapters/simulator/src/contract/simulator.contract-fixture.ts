import type { AdapterContractFixture } from '#gateway-spi';

/**
 * How the contract suite runs the simulator: default options (EUR, GBP, USD; no latency), and no
 * card overrides, so the contract holds it to API.md's sandbox table rather than to its own.
 */
export const simulatorContractFixture: AdapterContractFixture = {
  options: {},
  currency: 'EUR',
};
