/** The vault feature's public file: cards sealed in, tokens and display data out, the number only for the call that charges. */
export { VaultModule } from './vault.module.js';
export { Vault } from './vault.js';
export { VaultUnavailableError } from './vault-unavailable.error.js';
export type { CardInput, IssuedToken, OpenedCard, VaultedCard } from './vault-card.js';
export { VaultReseal } from './vault-reseal.js';
export { DEVELOPMENT_KEY_FILE, developmentVaultKey } from './development-vault-key.js';
