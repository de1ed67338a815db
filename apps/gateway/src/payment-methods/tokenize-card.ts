import { Injectable } from '@nestjs/common';
import { isLuhnValid } from '#gateway-spi';
import { Refusal } from '../common/refusal.js';
import { type CardInput, type IssuedToken, Vault, VaultCardGoneError, VaultUnavailableError } from '../vault/index.js';

/** The refusal when no vault key is configured (or none opens the card): nothing is stored or charged. */
export function vaultUnavailable(): Refusal {
  return new Refusal('unavailable', 'vault_unavailable', 'The card vault is not available: CANOPY_VAULT_KEY is not configured on this gateway, or does not open this card.');
}

/** The refusal of a card the vault no longer holds (its method was detached, or it was never kept and its time ran out). */
export function cardGone(param = 'payment_method'): Refusal {
  return Refusal.invalid('payment_method_unavailable', 'This card is no longer in the vault and can no longer be charged; ask the shopper for it again.', param);
}

/** Runs `work`, answering a locked vault as `vault_unavailable` and a card it no longer holds as `payment_method_unavailable`. */
export async function withVault<T>(work: () => Promise<T>): Promise<T | Refusal> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VaultUnavailableError) return vaultUnavailable();
    if (error instanceof VaultCardGoneError) return cardGone();
    throw error;
  }
}

/** Validates a card and puts it in the vault behind a single-use token. */
@Injectable()
export class TokenizeCard {
  constructor(private readonly vault: Vault) {}

  async execute(merchantId: string, card: CardInput): Promise<IssuedToken | Refusal> {
    if (!isLuhnValid(card.number)) return Refusal.invalid('invalid_card_number', 'The card number is not a valid card number.', 'card.number');
    return withVault(() => this.vault.tokenize(merchantId, card));
  }
}
