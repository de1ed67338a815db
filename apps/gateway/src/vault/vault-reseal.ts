import { Injectable, Logger } from '@nestjs/common';
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
 * not touched). A pass walks the cards from the first id, so one that a pass could not see (inserted
 * behind its cursor, or by a process still sealing with the previous key) is moved by the next pass
 * (VaultResealJob runs them). Each row is rewritten only if it still holds what was read, so
 * processes running passes together do no harm; within a process, passes run one after the other.
 */
@Injectable()
export class VaultReseal {
  private readonly logger = new Logger('Vault');
  private last: Promise<unknown> = Promise.resolve();
  private stopping = false;
  /** Cards already warned about: passes repeat, the warning need not. */
  private readonly warned = new Set<string>();

  constructor(
    private readonly ring: VaultKeyRing,
    private readonly cards: VaultCardsRepository,
    private readonly keys: VaultKeysRepository,
  ) {}

  /** True while a previous KEK is configured: there may be something to move. */
  rotating(): boolean {
    return this.ring.current !== undefined && this.ring.previous.length > 0;
  }

  /**
   * One pass, after the one in progress in this process if any: re-seals what a previous KEK sealed
   * and returns how many cards it re-sealed (the fingerprint key is not counted).
   */
  run(batchSize = RESEAL_BATCH): Promise<number> {
    const pass = this.last.then(() => this.pass(batchSize));
    this.last = pass.catch(() => undefined);
    return pass;
  }

  /** Stops the pass in progress after its batch, waits for it, and runs no other. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.last;
  }

  private async pass(batchSize: number): Promise<number> {
    const current = this.ring.current;
    const previousIds = this.ring.previous.map((kek) => kek.id);
    if (!current || previousIds.length === 0 || this.stopping) return 0;
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
          if (!this.warned.has(read.id)) this.logger.warn(`vault card ${read.id}: its data key does not open with its vault key; not re-sealed`);
          this.warned.add(read.id);
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
