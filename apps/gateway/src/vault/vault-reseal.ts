import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { open, seal } from './aead.js';
import { rewrapDataKey } from './envelope.js';
import { vaultKeyContext } from './fingerprint-key.js';
import { VaultCardsRepository } from './persistence/vault-cards.repository.js';
import { VaultKeysRepository } from './persistence/vault-keys.repository.js';
import { type Kek, VaultKeyRing } from './vault-key-ring.js';

/** Cards re-sealed per statement. */
export const RESEAL_BATCH = 500;

/**
 * During a key rotation (CANOPY_VAULT_KEY_PREVIOUS set), moves everything the previous KEK sealed
 * under the current one: the fingerprint key and every card's data key (the card's ciphertext is
 * not touched). It runs in the background after start; each row is rewritten only if it still
 * holds what was read, so processes running it together do no harm. Once it has run, the previous
 * key can be dropped.
 */
@Injectable()
export class VaultReseal implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Vault');
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly ring: VaultKeyRing,
    private readonly cards: VaultCardsRepository,
    private readonly keys: VaultKeysRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (this.ring.previous.length === 0) return;
    this.running = this.run().then(
      (resealed) => this.logger.log(`re-sealed ${resealed} vault card(s) with the current CANOPY_VAULT_KEY`),
      (error: unknown) => this.logger.error(`vault re-seal failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** Stops after the batch in progress. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Re-seals what a previous KEK sealed; returns how many cards were re-sealed (the fingerprint key is not counted). */
  async run(batchSize = RESEAL_BATCH): Promise<number> {
    const current = this.ring.current;
    const previousIds = this.ring.previous.map((kek) => kek.id);
    if (!current || previousIds.length === 0) return 0;
    await this.resealKeys(current, previousIds);
    let resealed = 0;
    let after = '';
    while (!this.stopping) {
      const batch = await this.cards.dataKeysSealedBy(previousIds, after, batchSize);
      if (batch.length === 0) break;
      after = batch.at(-1)!.id;
      const replacements = batch.flatMap((read) => {
        try {
          const from = this.ring.opening(read.kekId, `vault card ${read.id}`);
          return [{ read, next: { sealedDataKey: rewrapDataKey(read.id, read.sealedDataKey, from, current), kekId: current.id } }];
        } catch {
          // An altered row: it opens with no key, so it is left as it is (openCard refuses it too).
          this.logger.warn(`vault card ${read.id}: its data key does not open with its vault key; not re-sealed`);
          return [];
        }
      });
      resealed += await this.cards.replaceDataKeys(replacements);
    }
    return resealed;
  }

  private async resealKeys(current: Kek, previousIds: readonly string[]): Promise<void> {
    for (const read of await this.keys.sealedBy(previousIds)) {
      const context = vaultKeyContext(read.id);
      const key = open(this.ring.opening(read.kekId, `vault key ${read.id}`).key, read.sealedKey, context);
      await this.keys.replace(read, { sealedKey: seal(current.key, key, context), kekId: current.id });
      key.fill(0);
    }
  }
}
