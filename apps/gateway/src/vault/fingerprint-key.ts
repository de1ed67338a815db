import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { open, seal } from './aead.js';
import { VaultKeysRepository } from './persistence/vault-keys.repository.js';
import { VaultKeyRing } from './vault-key-ring.js';

export const FINGERPRINT_KEY_ID = 'fingerprint';

/** What a vault key row's sealed key is bound to. */
export const vaultKeyContext = (id: string) => `vault_keys/${id}`;

/**
 * The HMAC key of card fingerprints: random, made on first use and stored sealed by the KEK. Every
 * process must use the same one, so the first insert wins and everyone reads what was stored.
 */
@Injectable()
export class FingerprintKey {
  private loading: Promise<Buffer> | undefined;

  constructor(
    private readonly ring: VaultKeyRing,
    private readonly keys: VaultKeysRepository,
  ) {}

  get(): Promise<Buffer> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async load(): Promise<Buffer> {
    const context = vaultKeyContext(FINGERPRINT_KEY_ID);
    let stored = await this.keys.find(FINGERPRINT_KEY_ID);
    if (!stored) {
      const kek = this.ring.sealing();
      const key = randomBytes(32);
      await this.keys.insertIfAbsent({ id: FINGERPRINT_KEY_ID, sealedKey: seal(kek.key, key, context), kekId: kek.id });
      key.fill(0);
      stored = await this.keys.find(FINGERPRINT_KEY_ID);
      if (!stored) throw new Error('the card fingerprint key was stored but cannot be read back');
    }
    return open(this.ring.opening(stored.kekId, 'the card fingerprint key').key, stored.sealedKey, context);
  }
}
