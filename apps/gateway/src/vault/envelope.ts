import { randomBytes } from 'node:crypto';
import { open, seal } from './aead.js';
import type { Kek } from './vault-key-ring.js';

/** A card number as stored: sealed by a data key of its own, itself sealed by the KEK `kekId`. */
export interface Envelope {
  sealedNumber: string;
  sealedDataKey: string;
  kekId: string;
}

const DATA_KEY_BYTES = 32;
// Each value is bound to its card: a sealed number or data key copied to another row opens nothing.
const numberContext = (cardId: string) => `vault_cards/${cardId}/number`;
const dataKeyContext = (cardId: string) => `vault_cards/${cardId}/data_key`;

export function sealNumber(cardId: string, number: string, kek: Kek): Envelope {
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    return {
      sealedNumber: seal(dataKey, Buffer.from(number, 'utf8'), numberContext(cardId)),
      sealedDataKey: seal(kek.key, dataKey, dataKeyContext(cardId)),
      kekId: kek.id,
    };
  } finally {
    dataKey.fill(0);
  }
}

/** The number of `envelope` (sealed by `kek`); throws when `kek` is not its KEK or anything was altered. */
export function openNumber(cardId: string, envelope: Pick<Envelope, 'sealedNumber' | 'sealedDataKey'>, kek: Kek): string {
  const dataKey = open(kek.key, envelope.sealedDataKey, dataKeyContext(cardId));
  try {
    return open(dataKey, envelope.sealedNumber, numberContext(cardId)).toString('utf8');
  } finally {
    dataKey.fill(0);
  }
}

/** The card's data key sealed again, by `to` instead of `from`: the number's ciphertext stays as it is. */
export function rewrapDataKey(cardId: string, sealedDataKey: string, from: Kek, to: Kek): string {
  const dataKey = open(from.key, sealedDataKey, dataKeyContext(cardId));
  try {
    return seal(to.key, dataKey, dataKeyContext(cardId));
  } finally {
    dataKey.fill(0);
  }
}
