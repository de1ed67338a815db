import type { AdapterType } from '#gateway-spi';
import { simulatorAdapter } from '#adapters/simulator';
import { stripeAdapter } from '#adapters/stripe';

/** The one list of adapter types, and the only module that imports adapters. One line per type. */
export const adapterCatalog: readonly AdapterType[] = [
  simulatorAdapter,
  stripeAdapter,
];
