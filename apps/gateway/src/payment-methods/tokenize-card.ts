import { Injectable } from '@nestjs/common';
import { isLuhnValid } from '#gateway-spi';
import { Refusal } from '../common/refusal.js';
import { type CardInput, type IssuedToken, Vault, VaultUnavailableError } from '../vault/index.js';

/** The refusal when no vault key is configured (or none opens the card): nothing is stored or charged. */
export function vaultUnavailable(): Refusal {
  return new Refusal('unavailable', 'vault_unavailable', 'The card vault is not available: CANOPY_VAULT_KEY is not configured on this gateway, or does not open this card.');
}

/** Runs `work`, answering a locked vault as the `vault_unavailable` refusal. */
export async function withVault<T>(work: () => Promise<T>): Promise<T | Refusal> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VaultUnavailableError) return vaultUnavailable();
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
