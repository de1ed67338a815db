import type { AdapterContractFixture } from '#gateway-spi';

/**
 * How the contract suite runs the simulator: default options (EUR, GBP, USD; no latency; its
 * challenge page on 127.0.0.1 at a free port), and no card overrides, so the contract holds it to
 * API.md's sandbox table (3-D Secure cards included) rather than to its own. It takes no provider
 * notifications: nothing happens at the simulator after a call answers, but the shopper's challenge.
 * It has stored credentials (network transaction ids, merchant-initiated payments), so it does not
 * list `stored_credentials`.
 */
export const simulatorContractFixture: AdapterContractFixture = {
  options: {},
  currency: 'EUR',
  unsupported: ['notifications'],
};
