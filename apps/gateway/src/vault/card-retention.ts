import { DEFAULT_ACTION_TIMEOUT_MS, type GatewayConfig } from '../config/gateway-config.js';

/**
 * How long a new card stays in the vault unless a saved payment method keeps it: its token's life,
 * a payment that waits for its shopper, and the reconciliation that settles it fit well inside.
 */
export const CARD_RETENTION_MS = 24 * 3_600_000;

/** After the longest wait for a shopper, the time reconciliation gets to settle the payment (and save its card). */
const SETTLE_MARGIN_MS = 3_600_000;

/** The retention of a new card: CARD_RETENTION_MS, or longer when tokens and shoppers may take longer than it covers. */
export function cardRetentionMs(config: Pick<GatewayConfig, 'vault' | 'actionTimeoutMs'>): number {
  const longestUse = config.vault.tokenTtlMs + (config.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS) + SETTLE_MARGIN_MS;
  return Math.max(CARD_RETENTION_MS, longestUse);
}
