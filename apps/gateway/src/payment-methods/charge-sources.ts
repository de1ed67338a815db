import { Injectable } from '@nestjs/common';
import type { PaymentMethod, TransactionStep } from '#persistence';
import { Refusal } from '../common/refusal.js';
import { type IssuedToken, Vault, type VaultedCard } from '../vault/index.js';
import { PaymentMethodsRepository } from './persistence/payment-methods.repository.js';
import { cardGone } from './tokenize-card.js';

/** What a payment given as `tok_…` or `pm_…` charges: a vault card, and where it came from. */
export type ChargeSource = { kind: 'token'; token: IssuedToken; card: VaultedCard } | { kind: 'saved'; method: PaymentMethod; card: VaultedCard };

/** Why a token cannot be used (any more), or undefined when it can. */
export function tokenRefusal(token: IssuedToken, now: Date, param: string): Refusal | undefined {
  if (token.usedAt !== null) return Refusal.invalid('token_already_used', `Token '${token.id}' was already used; tokens are single use. Create a new one.`, param);
  if (token.expiresAt <= now) return Refusal.invalid('token_expired', `Token '${token.id}' has expired; create a new one.`, param);
  return undefined;
}

function detachedRefusal(methodId: string, param = 'payment_method'): Refusal {
  return Refusal.invalid('payment_method_detached', `Payment method '${methodId}' was detached from its customer and can no longer be charged.`, param);
}

/** Resolves `tok_…` and `pm_…` references of a merchant to the vault card they charge. */
@Injectable()
export class ChargeSources {
  constructor(
    private readonly vault: Vault,
    private readonly methods: PaymentMethodsRepository,
  ) {}

  async resolve(merchantId: string, reference: string, param = 'payment_method'): Promise<ChargeSource | Refusal> {
    if (reference.startsWith('tok_')) {
      const token = await this.vault.findToken(merchantId, reference);
      if (!token) return new Refusal('not_found', 'resource_missing', `No such token: '${reference}'`, param);
      return tokenRefusal(token, new Date(), param) ?? { kind: 'token', token, card: token.card };
    }
    const method = await this.methods.findOwned(merchantId, reference);
    if (!method) return new Refusal('not_found', 'resource_missing', `No such payment method: '${reference}'`, param);
    if (method.detachedAt !== null) return detachedRefusal(reference, param);
    const card = await this.vault.findCard(merchantId, method.vaultCardId);
    if (!card) return cardGone(param);
    return { kind: 'saved', method, card };
  }

  /**
   * A step for the payment's claim: holds the method (FOR SHARE) while the payment is claimed, and
   * refuses it when a detach committed since it was read.
   */
  stillAttachedStep(merchantId: string, methodId: string): TransactionStep {
    return this.methods.stillAttachedStep(merchantId, methodId, () => detachedRefusal(methodId));
  }
}
