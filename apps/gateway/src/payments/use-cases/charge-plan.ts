import { Injectable } from '@nestjs/common';
import { type Initiator, isLuhnValid, type MaskedCard, maskCard, type StoredCredential } from '#gateway-spi';
import type { Write } from '#persistence';
import { Refusal } from '../../common/refusal.js';
import { CLAIMED } from '../../idempotency/index.js';
import { type ChargeSource, ChargeSources, CustomersRepository, withVault } from '../../payment-methods/index.js';
import { type OpenedCard, Vault, type VaultedCard } from '../../vault/index.js';
import type { CreatePaymentCommand } from '../domain/commands.js';

/** What a payment charges and how it is sent, decided before anything is written. */
export interface ChargePlan {
  /** The card number for this one provider call (decrypted from the vault when it came from there). */
  card: OpenedCard;
  /** The CVC, if the shopper gave one for this payment; taken only once the payment is claimed. */
  takeCvc(): string | undefined;
  display: MaskedCard;
  /** The vault card charged; null for a card sent as is and not saved. */
  vaultCard: VaultedCard | null;
  customerId: string | null;
  /** The saved method charged (`pm_…`); null otherwise. */
  paymentMethodId: string | null;
  initiator: Initiator;
  storedCredential?: StoredCredential;
  /** Writes committed with the claim: the token used up, or the card sealed to be saved. */
  claimWrites: Write[];
}

const UNSCHEDULED = 'unscheduled';

/** Resolves what a new payment charges (a card, a token, a saved method) and checks the combination asked for. */
@Injectable()
export class PlanCharge {
  constructor(
    private readonly sources: ChargeSources,
    private readonly customers: CustomersRepository,
    private readonly vault: Vault,
  ) {}

  async execute(command: CreatePaymentCommand): Promise<ChargePlan | Refusal> {
    const refused = await this.checkCustomer(command);
    if (refused) return refused;
    const { source } = command;
    if (source.kind === 'card') return this.cardAsSent(command, source.card);
    const resolved = await this.sources.resolve(command.merchantId, source.reference);
    if (resolved instanceof Refusal) return resolved;
    return this.fromVault(command, resolved);
  }

  private async checkCustomer(command: CreatePaymentCommand): Promise<Refusal | undefined> {
    if (command.offSession && command.setupFutureUsage) {
      return Refusal.invalid('parameter_invalid', 'A payment is either off_session (charging a saved method) or saves one (setup_future_usage), not both.', 'setup_future_usage');
    }
    if (command.offSession && !(command.source.kind === 'reference' && command.source.reference.startsWith('pm_'))) {
      return Refusal.invalid('payment_method_required', 'An off_session payment charges a saved payment method: give payment_method "pm_…".', 'payment_method');
    }
    if (command.setupFutureUsage && command.customerId === null && !(command.source.kind === 'reference' && command.source.reference.startsWith('pm_'))) {
      return Refusal.invalid('customer_required', 'setup_future_usage saves the card to a customer: give customer "cus_…".', 'customer');
    }
    if (command.customerId !== null && !(await this.customers.findOwned(command.merchantId, command.customerId))) {
      return new Refusal('not_found', 'resource_missing', `No such customer: '${command.customerId}'`, 'customer');
    }
    return undefined;
  }

  private async cardAsSent(command: CreatePaymentCommand, card: OpenedCard & { cvc?: string }): Promise<ChargePlan | Refusal> {
    if (!isLuhnValid(card.number)) {
      return Refusal.invalid('invalid_card_number', 'The card number is not a valid card number.', 'payment_method.card.number');
    }
    const display = maskCard(card);
    const base = { card, takeCvc: () => card.cvc, display, customerId: command.customerId, paymentMethodId: null, initiator: 'customer' as const };
    if (!command.setupFutureUsage) return { ...base, vaultCard: null, claimWrites: [] };
    const sealed = await withVault(() => this.vault.sealCardPart(command.merchantId, card, CLAIMED));
    if (sealed instanceof Refusal) return sealed;
    return { ...base, vaultCard: sealed.card, storedCredential: first(), claimWrites: [sealed.part] };
  }

  private async fromVault(command: CreatePaymentCommand, source: ChargeSource): Promise<ChargePlan | Refusal> {
    const refused = this.refusalOf(command, source);
    if (refused) return refused;
    // Decrypted last, once everything else said yes: for this payment's call to its leaf only.
    const opened = await withVault(() => this.vault.openCard(source.card.id));
    if (opened instanceof Refusal) return source.kind === 'saved' ? this.whyGone(command, source.method.id, opened) : opened;
    const display: MaskedCard = { brand: source.card.brand, bin: source.card.bin, last4: source.card.last4, expMonth: source.card.expMonth, expYear: source.card.expYear };
    const { merchantId } = command;
    if (source.kind === 'token') {
      const { token } = source;
      const used = () => Refusal.invalid('token_already_used', `Token '${token.id}' was already used; tokens are single use. Create a new one.`, 'payment_method');
      return {
        card: opened,
        takeCvc: () => this.vault.takeCvc(token.id),
        display,
        vaultCard: source.card,
        customerId: command.customerId,
        paymentMethodId: null,
        initiator: 'customer',
        ...(command.setupFutureUsage && { storedCredential: first() }),
        claimWrites: [this.vault.useTokenStep(merchantId, token.id, used)],
      };
    }
    const { method } = source;
    return {
      card: opened,
      // A saved card has no CVC: the shopper typed it once, for the payment that saved it.
      takeCvc: () => undefined,
      display,
      vaultCard: source.card,
      customerId: method.customerId,
      paymentMethodId: method.id,
      initiator: command.offSession ? 'merchant' : 'customer',
      storedCredential: command.setupFutureUsage
        ? first()
        : { usage: 'subsequent', model: UNSCHEDULED, networkTransactionId: method.networkTransactionId },
      // A detach committed since the method was read wins: the payment is refused, not charged.
      claimWrites: [this.sources.stillAttachedStep(merchantId, method.id)],
    };
  }

  /** A saved method whose card went while it was read was detached meanwhile, most likely: answered as such. */
  private async whyGone(command: CreatePaymentCommand, methodId: string, refusal: Refusal): Promise<Refusal> {
    const now = await this.sources.resolve(command.merchantId, methodId);
    return now instanceof Refusal ? now : refusal;
  }

  /** Why a saved method cannot be charged as asked, if it cannot. */
  private refusalOf(command: CreatePaymentCommand, source: ChargeSource): Refusal | undefined {
    if (source.kind !== 'saved') return undefined;
    const { method } = source;
    if (command.customerId !== null && method.customerId !== command.customerId) {
      return Refusal.invalid('payment_method_customer_mismatch', `Payment method '${method.id}' is not attached to customer '${command.customerId}'.`, 'customer');
    }
    if (command.offSession && method.networkTransactionId === null) {
      return Refusal.invalid(
        'payment_method_not_set_up',
        `Payment method '${method.id}' was never charged with the customer present and saved for later (setup_future_usage: "off_session"), ` +
          'so there is no network transaction id to send an off-session payment with. Charge it once with the customer present and setup_future_usage first.',
        'payment_method',
      );
    }
    return undefined;
  }
}

function first(): StoredCredential {
  return { usage: 'first', model: UNSCHEDULED, networkTransactionId: null };
}
