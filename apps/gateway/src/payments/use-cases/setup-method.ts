import { Injectable, Logger } from '@nestjs/common';
import type { Payment, UnitOfWork } from '#persistence';
import { SavePaymentMethod } from '../../payment-methods/index.js';
import { type RequestTrace, traceLogFields } from '../../logging/request-trace.js';
import { Vault, type VaultedCard } from '../../vault/index.js';
import { PaymentWrites, SAVED_METHOD_GATE } from '../persistence/payment-writes.js';

/** The method a payment with `setup_future_usage` saves once approved, and its writes. */
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
    private readonly writes: PaymentWrites,
  ) {}

  /**
   * The method of `payment`, approved by its own request, for the commit of its outcome (which
   * records the method on the payment row itself); `card` is the vault card the request holds.
   */
  inOutcome(payment: Payment, networkTransactionId: string | null, card: VaultedCard | null): SetupMethod | undefined {
    if (payment.setupFutureUsage === null || card === null) return undefined;
    const saved = this.saveMethod.part(this.methodOf(payment, card, networkTransactionId));
    return { id: saved.id, unit: { writes: [this.vault.keepPart(payment.merchantId, card.id), saved.part] } };
  }

  /**
   * The method of `payment`, approved after its request (the shopper's return, reconciliation, a
   * notification): it keeps the card, records the method on the payment row, and saves it, in one
   * statement that writes nothing when the card is gone meanwhile (the purge) or the payment's
   * method was recorded first by someone else. Undefined when there is nothing to save. `trace`: the
   * request it is saved for, if one asked.
   */
  async afterwards(payment: Payment, networkTransactionId: string | null, trace?: RequestTrace): Promise<SetupMethod | undefined> {
    if (payment.setupFutureUsage === null || payment.vaultCardId === null || payment.setupSavedAt !== null) return undefined;
    const card = await this.vault.findCard(payment.merchantId, payment.vaultCardId);
    if (!card) {
      // Past the vault's retention (the payment was settled long after it was made): nothing left to save.
      this.logger.warn({ msg: `payment ${payment.id}: its card is no longer in the vault; it is not saved`, ...(trace && traceLogFields(trace)) });
      return undefined;
    }
    const saved = this.saveMethod.part(this.methodOf(payment, card, networkTransactionId), SAVED_METHOD_GATE);
    const keep = this.vault.keepPart(payment.merchantId, card.id);
    const recorded = this.writes.recordSavedMethod(payment.id, saved.id, networkTransactionId, keep.name);
    return { id: saved.id, unit: { writes: [keep, ...recorded.writes, saved.part], gate: recorded.gate } };
  }

  private methodOf(payment: Payment, card: VaultedCard, networkTransactionId: string | null) {
    return {
      // A saved method charged with the customer present to set it up keeps its id.
      ...(payment.paymentMethodId !== null && { id: payment.paymentMethodId }),
      merchantId: payment.merchantId,
      customerId: payment.customerId,
      card,
      networkTransactionId,
    };
  }
}
