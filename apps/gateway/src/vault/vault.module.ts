import { Module } from '@nestjs/common';
import { CardSealer } from './card-sealer.js';
import { CvcHolder } from './cvc-holder.js';
import { FingerprintKey } from './fingerprint-key.js';
import { CardTokensRepository } from './persistence/card-tokens.repository.js';
import { VaultCardsRepository } from './persistence/vault-cards.repository.js';
import { VaultKeysRepository } from './persistence/vault-keys.repository.js';
import { Vault } from './vault.js';
import { VaultKeyRing } from './vault-key-ring.js';
import { VaultPurge, VaultPurgeJob } from './vault-purge.job.js';
import { VaultReseal } from './vault-reseal.js';

/**
 * The card vault: its keys, its tables (vault_cards, card_tokens, vault_keys), the re-seal of a key
 * rotation and the purge of cards past their retention. Other features use cards through `Vault`
 * only; nothing else reads the sealed columns.
 */
@Module({
  providers: [
    VaultKeyRing,
    FingerprintKey,
    CardSealer,
    CvcHolder,
    VaultCardsRepository,
    CardTokensRepository,
    VaultKeysRepository,
    Vault,
    VaultReseal,
    VaultPurge,
    VaultPurgeJob,
  ],
  exports: [Vault, VaultReseal, VaultPurge],
})
export class VaultModule {}
