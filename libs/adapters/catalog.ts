import type { AdapterType } from '#gateway-spi';
import { simulatorAdapter } from '#adapters/simulator';
import { adyenAdapter } from '#adapters/adyen';
import { stripeAdapter } from '#adapters/stripe';

/** The one list of adapter types, and the only module that imports adapters. One line per type. */
export const adapterCatalog: readonly AdapterType[] = [
  simulatorAdapter,
  adyenAdapter,
  stripeAdapter,
];
