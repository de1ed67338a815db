/**
 * The vault card is no longer in the vault: shredded (its payment method was detached) or deleted
 * once its retention passed. Its number is gone for good; the card can no longer be charged.
 */
export class VaultCardGoneError extends Error {
  override readonly name = 'VaultCardGoneError';

  constructor(readonly vaultCardId: string) {
    super(`vault card ${vaultCardId} is no longer in the vault (shredded, or deleted once its retention passed)`);
  }
}
