import type { GatewayConfig } from '../../config/gateway-config.js';

/**
 * How long after its creation a payment whose request never recorded an outcome is reconciled:
 * by then its request is long past its deadline (the process stopped between its two commits).
 */
export function orphanAfterMs(config: Pick<GatewayConfig, 'requestTimeoutMs'>): number {
  return config.requestTimeoutMs + 60_000;
}
