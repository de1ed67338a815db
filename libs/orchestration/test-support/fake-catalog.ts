import type { AdapterType } from '#gateway-spi';
import { FakeLeaf } from './fake-leaf.js';

/** A catalog whose one type is named `fake` but builds fake leaves. */
export const fakeCatalog: readonly AdapterType[] = [
  {
    type: 'fake',
    description: 'fake',
    validateOptions: (options) => {
      const problems = Object.keys(options)
        .filter((key) => !['currencies', 'fee_bps'].includes(key))
        .map((key) => `options.${key} is not a fake option`);
      if (options.fee_bps !== undefined && !(Number.isInteger(options.fee_bps) && (options.fee_bps as number) >= 0)) {
        problems.push('options.fee_bps must be a non-negative integer');
      }
      return problems;
    },
    create: (id, options) => new FakeLeaf(id, Array.isArray(options.currencies) ? { currencies: options.currencies as string[] } : {}),
  },
];
