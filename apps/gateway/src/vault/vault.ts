import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type StatementPart, type TransactionStep, type UnitOfWork, UnitOfWorkRunner } from '#persistence';
import { newId } from '../common/ids.js';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { cardRetentionMs } from './card-retention.js';
import { CardSealer } from './card-sealer.js';
import { CvcHolder } from './cvc-holder.js';
import { openNumber } from './envelope.js';
import { CARD_TOKEN_PART, CardTokensRepository } from './persistence/card-tokens.repository.js';
import { type NewVaultCard, VAULT_CARD_PART, VaultCardsRepository } from './persistence/vault-cards.repository.js';
import { VaultCardGoneError } from './vault-card-gone.error.js';
import type { CardInput, IssuedToken, OpenedCard, VaultedCard } from './vault-card.js';
import { VaultKeyRing } from './vault-key-ring.js';

/**
 * The card vault: cards in, tokens and display data out; the number comes out only for the call
 * that charges it (`openCard`). Without CANOPY_VAULT_KEY it is unavailable: it neither seals nor opens.
 * A new card may be deleted once its retention passes (VaultPurge) unless a saved payment method
 * keeps it (`keepPart`); a detached method's card is shredded (`shred`).
 */
@Injectable()
export class Vault implements OnApplicationBootstrap {
  private readonly logger = new Logger('Vault');

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'vault' | 'actionTimeoutMs'>,
    private readonly ring: VaultKeyRing,
    private readonly sealer: CardSealer,
    private readonly cvcs: CvcHolder,
    private readonly cards: VaultCardsRepository,
    private readonly tokens: CardTokensRepository,
    private readonly runner: UnitOfWorkRunner,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.ring.available()) {
      this.logger.warn('CANOPY_VAULT_KEY is not set: the card vault is unavailable (tokens, saved cards and setup_future_usage are refused)');
    } else if (this.config.vault.keyGenerated) {
      this.logger.warn('the card vault uses the development key of the data directory (vault.key): set CANOPY_VAULT_KEY in production');
    }
  }

  available(): boolean {
    return this.ring.available();
  }

  /** Seals the card (own commit) and issues a single-use token; the CVC, if any, stays in this process's memory until the token is used or expires. */
  async tokenize(merchantId: string, card: CardInput): Promise<IssuedToken> {
    const sealed = await this.sealer.seal(merchantId, card);
    const createdAt = new Date();
    const token = { id: newId('tok'), merchantId, createdAt, expiresAt: new Date(createdAt.getTime() + this.config.vault.tokenTtlMs) };
    const writes = [this.cards.insertPart(sealed, this.retainUntil(createdAt)), this.tokens.issuePart(token, VAULT_CARD_PART)];
    await this.runner.commit({ writes, required: [VAULT_CARD_PART, CARD_TOKEN_PART] }, `tokenization of a card for merchant ${merchantId}`);
    if (card.cvc) this.cvcs.hold(token.id, card.cvc, token.expiresAt);
    return { ...token, card: display(sealed), usedAt: null };
  }

  /** The merchant's token (used or not, expired or not); undefined when it is not theirs or does not exist. */
  async findToken(merchantId: string, tokenId: string): Promise<IssuedToken | undefined> {
    const token = await this.tokens.find(merchantId, tokenId);
    if (!token) return undefined;
    const card = await this.cards.findDisplay(merchantId, token.vaultCardId);
    if (!card) throw new Error(`token ${tokenId}: its vault card ${token.vaultCardId} is missing`);
    return { id: token.id, merchantId, card, createdAt: token.createdAt, expiresAt: token.expiresAt, usedAt: token.usedAt };
  }

  /**
   * A step for the caller's unit of work that uses the token up; it throws `refusal()` when the
   * token is no longer usable (used or expired meanwhile: of two racing requests, one wins).
   */
  useTokenStep(merchantId: string, tokenId: string, refusal: () => Error): TransactionStep {
    return this.tokens.useStep(merchantId, tokenId, refusal);
  }

  /** Marks the token used in its own commit; false when it was already used or expired. */
  useToken(merchantId: string, tokenId: string): Promise<boolean> {
    return this.tokens.use(merchantId, tokenId);
  }

  /** The CVC held for the token, removed as it is returned (once). */
  takeCvc(tokenId: string): string | undefined {
    return this.cvcs.take(tokenId);
  }

  /** Seals a card for a row written in the caller's unit: the INSERT … SELECT … FROM <gate> part and the card's display. */
  async sealCardPart(merchantId: string, card: CardInput, gate: string): Promise<{ card: VaultedCard; part: StatementPart }> {
    const sealed = await this.sealer.seal(merchantId, card);
    return { card: display(sealed), part: this.cards.insertPart(sealed, this.retainUntil(new Date()), gate) };
  }

  /**
   * The write, for the caller's unit that saves a payment method, that keeps its card for good
   * (retention cleared). Named VAULT_CARD_KEPT_PART: it returns no row when the card is gone (list it
   * in `required` to save nothing then). With `gate`, only if that part of the unit returned a row.
   * The card must be committed already: a card sealed by the same unit is not seen.
   */
  keepPart(merchantId: string, vaultCardId: string, gate?: string): StatementPart {
    return this.cards.keepPart(merchantId, vaultCardId, gate);
  }

  /** The writes that delete the merchant's card and its tokens, for the caller's unit (e.g. with a detach). */
  shredUnit(merchantId: string, vaultCardId: string): UnitOfWork {
    return { writes: this.cards.shredParts(merchantId, vaultCardId) };
  }

  /**
   * Deletes the merchant's card and its tokens in its own commit: its sealed number and data key are
   * gone (the display data lives on, copied, in payments and payment methods). Idempotent.
   */
  async shred(merchantId: string, vaultCardId: string): Promise<void> {
    await this.runner.commit(this.shredUnit(merchantId, vaultCardId), `shredding of vault card ${vaultCardId}`);
  }

  /** Display data of a merchant's vault card; undefined when not theirs, or gone (shredded, purged). */
  findCard(merchantId: string, vaultCardId: string): Promise<VaultedCard | undefined> {
    return this.cards.findDisplay(merchantId, vaultCardId);
  }

  /**
   * Decrypts the card for one provider call. Throws VaultUnavailableError without a key that opens it,
   * VaultCardGoneError when the card was shredded or purged.
   */
  async openCard(vaultCardId: string): Promise<OpenedCard> {
    const sealed = await this.cards.findSealed(vaultCardId);
    if (!sealed) throw new VaultCardGoneError(vaultCardId);
    const kek = this.ring.opening(sealed.kekId, `vault card ${vaultCardId}`);
    let number: string;
    try {
      number = openNumber(sealed.id, sealed, kek);
    } catch {
      throw new Error(`vault card ${vaultCardId} does not open with its key: its sealed data was altered`);
    }
    return { number, expMonth: sealed.expMonth, expYear: sealed.expYear };
  }

  private retainUntil(from: Date): Date {
    return new Date(from.getTime() + cardRetentionMs(this.config));
  }
}

function display(card: NewVaultCard): VaultedCard {
  const { id, merchantId, fingerprint, brand, bin, last4, expMonth, expYear } = card;
  return { id, merchantId, fingerprint, brand, bin, last4, expMonth, expYear };
}
