import { randomBytes, randomInt } from 'node:crypto';
import type Stripe from 'stripe';

/**
 * The fake's Charges: one per confirmation that reached the card network (approved, or declined by
 * the issuer), as Stripe makes them, typed by the SDK (a misnamed field does not compile). Only the
 * last four digits of the card are kept.
 */

/**
 * A scheme network transaction id, invented: 15 digits (the length of a Visa transaction id). Stripe
 * sets one on successful Visa, Mastercard, Amex, Discover and Cartes Bancaires charges, and none on
 * declined ones (changelog 2024-12-18.acacia).
 */
export function inventNetworkTransactionId(): string {
  return Array.from({ length: 15 }, () => randomInt(10)).join('');
}

function brandOf(number: string): string {
  if (number.startsWith('4')) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  return 'unknown';
}

/** What a charge records about the card (never the whole number) and the stored credential of its confirmation. */
export interface ChargeCard {
  /** The first six digits, for the brand. */
  bin: string;
  last4: string;
  expMonth: number;
  expYear: number;
  setupCredentialUsage?: Stripe.Charge.PaymentMethodDetails.Card.SetupCredentialUsage;
  storedCredentialUsage?: Stripe.Charge.PaymentMethodDetails.Card.StoredCredentialUsage;
}

export function chargeCardOf(number: string, expMonth: number, expYear: number, usage: Pick<ChargeCard, 'setupCredentialUsage' | 'storedCredentialUsage'>): ChargeCard {
  return { bin: number.slice(0, 6), last4: number.slice(-4), expMonth, expYear, ...usage };
}

export function chargeObject(fields: {
  id: string;
  intent: Stripe.PaymentIntent;
  card: ChargeCard;
  /** Null: approved; else the decline (`failure_code` / outcome). */
  failure: { code: string; declineCode?: string; message: string } | null;
}): Stripe.Charge {
  const { intent, card, failure } = fields;
  const brand = brandOf(card.bin);
  const approved = failure === null;
  const captured = approved && intent.capture_method === 'automatic';
  return {
    id: fields.id,
    object: 'charge',
    amount: intent.amount,
    amount_captured: captured ? intent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: captured ? `txn_${randomBytes(12).toString('hex')}` : null,
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: null,
    captured,
    created: Math.floor(Date.now() / 1000),
    currency: intent.currency,
    customer: null,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...intent.metadata },
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: approved ? 'approved_by_network' : 'declined_by_network',
      reason: failure?.declineCode ?? null,
      seller_message: approved ? 'Payment complete.' : 'The bank did not return any further details with this decline.',
      type: approved ? 'authorized' : 'issuer_declined',
    },
    paid: approved,
    payment_intent: intent.id,
    payment_method: typeof intent.payment_method === 'string' ? intent.payment_method : null,
    payment_method_details: {
      type: 'card',
      card: {
        amount_authorized: approved ? intent.amount : null,
        authorization_code: approved ? String(randomInt(100000, 999999)) : null,
        brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: 'US',
        electronic_commerce_indicator: null,
        exp_month: card.expMonth,
        exp_year: card.expYear,
        funding: 'credit',
        installments: null,
        last4: card.last4,
        mandate: null,
        network: brand,
        network_transaction_id: approved && brand !== 'unknown' ? inventNetworkTransactionId() : null,
        regulated_status: 'unregulated',
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
        ...(card.setupCredentialUsage && { setup_credential_usage: card.setupCredentialUsage }),
        ...(card.storedCredentialUsage && { stored_credential_usage: card.storedCredentialUsage }),
      },
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: approved ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
}
