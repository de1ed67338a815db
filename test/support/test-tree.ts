/**
 * The default tree of API.md with short per-child budgets, so timeout cases take milliseconds.
 * Built from an object, exactly as config/tree.yaml would be.
 */
export function testTreeConfig(): unknown {
  return {
    root: {
      id: 'root',
      type: 'router',
      strategy: 'rules',
      timeout_ms: 1500,
      status_timeout_ms: 300,
      rules: [
        { when: { currency: ['EUR', 'GBP'] }, to: 'eu' },
        { when: { currency: ['USD'] }, to: 'us' },
      ],
      default: 'global',
      children: [
        {
          id: 'eu',
          type: 'router',
          strategy: 'weighted',
          timeout_ms: 400,
          status_timeout_ms: 200,
          children: [
            { id: 'sim-alpha', type: 'simulator', weight: 70, options: { fee_bps: 180 } },
            { id: 'sim-beta', type: 'simulator', weight: 30, options: { fee_bps: 150 } },
          ],
        },
        {
          id: 'us',
          type: 'router',
          strategy: 'priority',
          timeout_ms: 400,
          status_timeout_ms: 200,
          children: [
            { id: 'sim-gamma', type: 'simulator' },
            { id: 'sim-delta', type: 'simulator' },
          ],
        },
        { id: 'global', type: 'simulator', options: { currencies: ['EUR', 'GBP', 'USD', 'JPY'] } },
      ],
    },
  };
}
