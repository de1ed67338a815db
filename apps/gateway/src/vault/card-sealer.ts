import { Injectable } from '@nestjs/common';
import { maskCard } from '#gateway-spi';
import { newId } from '../common/ids.js';
import { sealNumber } from './envelope.js';
import { fingerprintOf } from './fingerprint.js';
import { FingerprintKey } from './fingerprint-key.js';
import type { NewVaultCard } from './persistence/vault-cards.repository.js';
import type { CardInput } from './vault-card.js';
import { VaultKeyRing } from './vault-key-ring.js';

/** Turns a card into the vault row that holds it: display data, fingerprint, number sealed; never the CVC. */
@Injectable()
export class CardSealer {
  constructor(
    private readonly ring: VaultKeyRing,
    private readonly fingerprintKey: FingerprintKey,
  ) {}

  async seal(merchantId: string, card: CardInput): Promise<NewVaultCard> {
    // No message may carry the number: errors end up in logs.
    if (!/^\d{12,19}$/.test(card.number)) throw new TypeError('a card number to seal must be 12 to 19 digits');
    const kek = this.ring.sealing();
    const key = await this.fingerprintKey.get();
    const id = newId('vcd');
    const { brand, bin, last4, expMonth, expYear } = maskCard(card);
    return {
      id,
      merchantId,
      fingerprint: fingerprintOf(key, merchantId, card.number),
      brand,
      bin,
      last4,
      expMonth,
      expYear,
      ...sealNumber(id, card.number, kek),
    };
  }
}
