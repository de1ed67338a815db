import { Injectable } from '@nestjs/common';
import { FINGERPRINT_KEY_ID } from './fingerprint-key.js';
import { VaultCardsRepository } from './persistence/vault-cards.repository.js';
import { VaultKeysRepository } from './persistence/vault-keys.repository.js';
import { VaultKeyRing } from './vault-key-ring.js';

/** Where a key rotation stands: the KEKs this process has, and which KEK seals what in the shared database. */
export interface VaultStatusReport {
  available: boolean;
  currentKeyId: string | null;
  previousKeyId: string | null;
  cards: { total: number; byKeyId: Record<string, number> };
  /** Cards sealed by a KEK other than the current one: 0 before the previous key may be dropped. */
  cardsOnOtherKeys: number;
  /** The KEK sealing the fingerprint key; null until the first card is sealed. */
  fingerprintKeyId: string | null;
}

/** Reads the vault's key status for ops (GET /v1/ops/vault, the gauge). KEK ids reveal nothing of the keys. */
@Injectable()
export class VaultStatus {
  constructor(
    private readonly ring: VaultKeyRing,
    private readonly cards: VaultCardsRepository,
    private readonly keys: VaultKeysRepository,
  ) {}

  async read(): Promise<VaultStatusReport> {
    const [byKeyId, fingerprintKey] = await Promise.all([this.cards.countByKekId(), this.keys.find(FINGERPRINT_KEY_ID)]);
    const total = Object.values(byKeyId).reduce((sum, count) => sum + count, 0);
    const currentKeyId = this.ring.current?.id ?? null;
    return {
      available: this.ring.available(),
      currentKeyId,
      previousKeyId: this.ring.previous[0]?.id ?? null,
      cards: { total, byKeyId },
      cardsOnOtherKeys: total - (currentKeyId === null ? 0 : (byKeyId[currentKeyId] ?? 0)),
      fingerprintKeyId: fingerprintKey?.kekId ?? null,
    };
  }

  /** Cards sealed by a KEK other than the current one (all of them without a current one). */
  cardsOnOtherKeys(): Promise<number> {
    return this.cards.countNotSealedBy(this.ring.current?.id);
  }
}
