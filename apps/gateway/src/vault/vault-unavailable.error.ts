/**
 * The vault cannot seal or open: no CANOPY_VAULT_KEY is configured, or none of the configured keys
 * is the one a stored card (or the fingerprint key) was sealed with.
 */
export class VaultUnavailableError extends Error {
  override readonly name = 'VaultUnavailableError';
}
