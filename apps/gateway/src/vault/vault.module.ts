import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/index.js';
import { CardSealer } from './card-sealer.js';
import { CvcHolder } from './cvc-holder.js';
import { FingerprintKey } from './fingerprint-key.js';
import { VaultOpsController } from './http/vault-ops.controller.js';
import { CardTokensRepository } from './persistence/card-tokens.repository.js';
import { VaultCardsRepository } from './persistence/vault-cards.repository.js';
import { VaultKeysRepository } from './persistence/vault-keys.repository.js';
import { Vault } from './vault.js';
import { VaultGauges } from './vault-gauges.js';
import { VaultKeyRing } from './vault-key-ring.js';
import { VaultPurge, VaultPurgeJob } from './vault-purge.job.js';
import { VaultReseal } from './vault-reseal.js';
import { VaultResealJob } from './vault-reseal.job.js';
import { VaultStatus } from './vault-status.js';

/**
 * The card vault: its keys, its tables (vault_cards, card_tokens, vault_keys), the re-seal of a key
 * rotation (in the background, and `POST /v1/ops/vault/reseal`), what ops watch of it (`GET
 * /v1/ops/vault`, a gauge) and the purge of cards past their retention. Other features use cards
 * through `Vault` only; nothing else reads the sealed columns. Several features import this module;
 * Nest builds it once, so its controller is mapped once.
 */
@Module({
  imports: [MetricsModule],
  controllers: [VaultOpsController],
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
    VaultResealJob,
    VaultStatus,
    VaultGauges,
    VaultPurge,
    VaultPurgeJob,
  ],
  exports: [Vault, VaultReseal, VaultStatus, VaultPurge],
})
export class VaultModule {}
