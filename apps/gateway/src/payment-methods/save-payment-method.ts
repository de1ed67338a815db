import { Injectable } from '@nestjs/common';
import { type PaymentMethod, type StatementPart, UnitOfWorkRunner } from '#persistence';
import { newId } from '../common/ids.js';
import { Refusal } from '../common/refusal.js';
import { Vault, VAULT_CARD_KEPT_PART, type VaultedCard } from '../vault/index.js';
import { tokenRefusal } from './charge-sources.js';
import { CustomersRepository } from './persistence/customers.repository.js';
import { PaymentMethodsRepository } from './persistence/payment-methods.repository.js';

/** A method to save: the vault card, to whom, and the scheme's id of the payment that saved it. */
export interface MethodToSave {
  id?: string;
  merchantId: string;
  customerId: string | null;
  card: VaultedCard;
  networkTransactionId: string | null;
}

/** Saves vault cards as payment methods (`pm_…`): from a token (POST /v1/payment_methods) or from an approved payment. */
@Injectable()
export class SavePaymentMethod {
  constructor(
    private readonly vault: Vault,
    private readonly methods: PaymentMethodsRepository,
    private readonly customers: CustomersRepository,
    private readonly runner: UnitOfWorkRunner,
  ) {}

  /** The write that saves `method` in the caller's unit (only if the part `gate` returned a row, when given); its id (new unless given). */
  part(method: MethodToSave, gate?: string): { id: string; part: StatementPart } {
    const id = method.id ?? newId('pm');
    const { card } = method;
    return {
      id,
      part: this.methods.savePart({
        id,
        merchantId: method.merchantId,
        customerId: method.customerId,
        vaultCardId: card.id,
        fingerprint: card.fingerprint,
        brand: card.brand,
        last4: card.last4,
        expMonth: card.expMonth,
        expYear: card.expYear,
        networkTransactionId: method.networkTransactionId,
      }, gate),
    };
  }

  /** Uses the token up and saves its card, attached to `customerId` if given, in one commit. */
  async fromToken(merchantId: string, tokenId: string, customerId: string | null): Promise<PaymentMethod | Refusal> {
    const token = await this.vault.findToken(merchantId, tokenId);
    if (!token) return new Refusal('not_found', 'resource_missing', `No such token: '${tokenId}'`, 'token');
    const unusable = tokenRefusal(token, new Date(), 'token');
    if (unusable) return (await this.savedBefore(merchantId, token.card.id, customerId)) ?? unusable;
    if (customerId !== null && !(await this.customers.findOwned(merchantId, customerId))) {
      return new Refusal('not_found', 'resource_missing', `No such customer: '${customerId}'`, 'customer');
    }
    const saved = this.part({ merchantId, customerId, card: token.card, networkTransactionId: null });
    const raced = () => tokenRefusal({ ...token, usedAt: new Date() }, new Date(), 'token')!;
    try {
      await this.runner.commit(
        { writes: [this.vault.useTokenStep(merchantId, tokenId, raced), this.vault.keepPart(merchantId, token.card.id), saved.part], required: [VAULT_CARD_KEPT_PART] },
        `payment method from token ${tokenId}`,
      );
    } catch (error) {
      // Used up by a request that ran alongside: the same request retried answers what it saved.
      if (error instanceof Refusal) return (await this.savedBefore(merchantId, token.card.id, customerId)) ?? error;
      throw error;
    }
    // The CVC was for one payment; a saved method is charged without it.
    this.vault.takeCvc(tokenId);
    return (await this.methods.findOwned(merchantId, saved.id))!;
  }

  /**
   * The method a used token's card was saved as, when this asks for the same (a retry whose answer
   * was lost): a vault card is saved once, and a token's card is never another's.
   */
  private async savedBefore(merchantId: string, vaultCardId: string, customerId: string | null): Promise<PaymentMethod | undefined> {
    const method = await this.methods.findByVaultCard(merchantId, vaultCardId);
    if (!method || method.detachedAt !== null || (customerId !== null && method.customerId !== customerId)) return undefined;
    return method;
  }
}
