/** The vault feature's public file: cards sealed in, tokens and display data out, the number only for the call that charges. */
export { VaultModule } from './vault.module.js';
export { Vault } from './vault.js';
export { VaultUnavailableError } from './vault-unavailable.error.js';
export { VaultCardGoneError } from './vault-card-gone.error.js';
export { VAULT_CARD_KEPT_PART } from './persistence/vault-cards.repository.js';
export { CARD_RETENTION_MS, cardRetentionMs } from './card-retention.js';
export type { CardInput, IssuedToken, OpenedCard, VaultedCard } from './vault-card.js';
export { VaultReseal } from './vault-reseal.js';
export { VaultStatus, type VaultStatusReport } from './vault-status.js';
export { VAULT_PURGE_BATCH, VaultPurge } from './vault-purge.job.js';
export { DEVELOPMENT_KEY_FILE, developmentVaultKey } from './development-vault-key.js';
