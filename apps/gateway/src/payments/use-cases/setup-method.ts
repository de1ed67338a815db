import { Injectable, Logger } from '@nestjs/common';
import type { Payment, UnitOfWork } from '#persistence';
import { SavePaymentMethod } from '../../payment-methods/index.js';
import { Vault, type VaultedCard } from '../../vault/index.js';

/** The method a payment with `setup_future_usage` saves once approved, and its write. */
export interface SetupMethod {
  id: string;
  unit: UnitOfWork;
}

/** Saves the card of an approved payment that asked to (`setup_future_usage`) to its customer. */
@Injectable()
export class SetupMethodOfPayment {
  private readonly logger = new Logger('SetupMethodOfPayment');

  constructor(
    private readonly vault: Vault,
    private readonly saveMethod: SavePaymentMethod,
  ) {}

  /**
   * The saved method of `payment`, now approved, with the scheme's id its leaf answered; undefined
   * when the payment saves nothing. `card` is the vault card when the caller holds it already; with
   * `gate`, the method is written only if that part of the unit returned a row.
   */
  async of(payment: Payment, networkTransactionId: string | null, card?: VaultedCard | null, gate?: string): Promise<SetupMethod | undefined> {
    if (payment.setupFutureUsage === null || payment.vaultCardId === null) return undefined;
    const vaultCard = card ?? (await this.vault.findCard(payment.merchantId, payment.vaultCardId));
    if (!vaultCard) {
      // Past the vault's retention (the payment was settled long after it was made): nothing left to save.
      this.logger.warn(`payment ${payment.id}: its card is no longer in the vault; it is not saved`);
      return undefined;
    }
    const saved = this.saveMethod.part({
      ...(payment.paymentMethodId !== null && { id: payment.paymentMethodId }),
      merchantId: payment.merchantId,
      customerId: payment.customerId,
      card: vaultCard,
      networkTransactionId,
    }, gate);
    return { id: saved.id, unit: { writes: [this.vault.keepPart(payment.merchantId, vaultCard.id, gate), saved.part] } };
  }
}
