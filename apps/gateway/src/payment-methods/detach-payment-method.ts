import { Injectable } from '@nestjs/common';
import { combine, type PaymentMethod, UnitOfWorkRunner } from '#persistence';
import { Vault } from '../vault/index.js';
import { PaymentMethodsRepository } from './persistence/payment-methods.repository.js';

/**
 * Detaches a saved method for good: the method is marked detached and its card is shredded from the
 * vault in the same commit, so nothing can charge it again. Repeating it changes nothing.
 */
@Injectable()
export class DetachPaymentMethod {
  constructor(
    private readonly methods: PaymentMethodsRepository,
    private readonly vault: Vault,
    private readonly runner: UnitOfWorkRunner,
  ) {}

  /** The detached method; null when the merchant has no such method. */
  async execute(merchantId: string, id: string, at = new Date()): Promise<PaymentMethod | null> {
    const method = await this.methods.findOwned(merchantId, id);
    if (!method) return null;
    if (method.detachedAt === null) {
      await this.runner.commit(combine({ writes: [this.methods.detachPart(merchantId, id, at)] }, this.vault.shredUnit(merchantId, method.vaultCardId)), `detach of ${id}`);
    }
    return this.methods.findOwned(merchantId, id);
  }
}
