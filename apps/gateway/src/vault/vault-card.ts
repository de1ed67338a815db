import type { CardBrand } from '#gateway-spi';

/** A card as the shopper gave it. */
export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc?: string;
}

/** What may be shown and stored outside the vault: no number. */
export interface VaultedCard {
  /** `vcd_…` */
  id: string;
  merchantId: string;
  fingerprint: string;
  brand: CardBrand;
  bin: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

/** A single-use token (`tok_…`) of a vault card, usable by the merchant that made it only. */
export interface IssuedToken {
  id: string;
  merchantId: string;
  card: VaultedCard;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

/** A vault card decrypted for one provider call. */
export interface OpenedCard {
  number: string;
  expMonth: number;
  expYear: number;
}
