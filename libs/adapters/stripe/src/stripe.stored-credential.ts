import type { AuthorizeRequest, StoredCredential } from '#gateway-spi';
import type Stripe from 'stripe';

/**
 * Stored credentials on Stripe's PaymentIntents (pure: request → parameters, answer → the scheme's id).
 *
 * - `first` (customer-initiated, the shopper agreed to store the card): `setup_future_usage:
 *   'off_session'` and `payment_method_options[card][setup_credential_usage]` = the model. The
 *   scheme's network transaction id is on the charge (`payment_method_details.card.
 *   network_transaction_id`), so the create expands `latest_charge` to read it in the same call. A
 *   first use approved later (3-D Secure completed, a lost reply settled by status) tells it there too:
 *   the PaymentIntent, known as one by its `setup_future_usage`, is read with its charge expanded.
 * - merchant-initiated (`initiator: 'merchant'`): `off_session: true` (the shopper is not there and
 *   cannot authenticate: Stripe declines `authentication_required` rather than ask), never a
 *   `return_url`; a `subsequent` one adds `payment_method_options[card][stored_credential_usage]` =
 *   the model and, with the first payment's id (possibly from another provider),
 *   `payment_method_options[card][mit_exemption][network_transaction_id]`.
 *
 * `mit_exemption` is in neither Stripe's public OpenAPI nor the SDK's types: it is a parameter Stripe
 * enables per account (like raw card data), so the adapter types it itself (`MitCardOptions`).
 */

/** The card options with Stripe's gated external network transaction id of a merchant-initiated payment. */
export interface MitCardOptions extends Stripe.PaymentIntentCreateParams.PaymentMethodOptions.Card {
  mit_exemption?: { network_transaction_id: string };
}

/** The fields an authorize's initiator and stored credential add to the PaymentIntent create. */
export type StoredCredentialParams = Pick<Stripe.PaymentIntentCreateParams, 'setup_future_usage' | 'off_session' | 'expand'> & {
  payment_method_options?: { card: MitCardOptions };
};

/** Expanded on the create of a stored-credential payment, to read the charge's network transaction id. */
export const EXPAND_CHARGE = 'latest_charge';

export const isMerchantInitiated = (request: Pick<AuthorizeRequest, 'initiator'>): boolean => request.initiator === 'merchant';

export function storedCredentialParams(request: Pick<AuthorizeRequest, 'initiator' | 'storedCredential'>): StoredCredentialParams {
  const credential = request.storedCredential;
  const merchant = isMerchantInitiated(request);
  const card: MitCardOptions = {};
  if (credential?.usage === 'first') card.setup_credential_usage = credential.model;
  if (credential?.usage === 'subsequent' && merchant) {
    card.stored_credential_usage = credential.model;
    if (credential.networkTransactionId) card.mit_exemption = { network_transaction_id: credential.networkTransactionId };
  }
  return {
    ...(credential?.usage === 'first' && { setup_future_usage: 'off_session' as const }),
    ...(merchant && { off_session: true }),
    ...(Object.keys(card).length > 0 && { payment_method_options: { card } }),
    ...(credential && { expand: [EXPAND_CHARGE] }),
  };
}

/** Why the request's initiator or stored credential cannot be sent, or null (checked before any call). */
export function storedCredentialProblem(request: Pick<AuthorizeRequest, 'initiator' | 'storedCredential'>): string | null {
  const { initiator } = request;
  if (initiator !== undefined && initiator !== 'customer' && initiator !== 'merchant') return `initiator must be customer or merchant (got ${String(initiator)})`;
  const credential: Partial<StoredCredential> | undefined = request.storedCredential;
  if (credential === undefined) return null;
  if (credential.usage !== 'first' && credential.usage !== 'subsequent') return `storedCredential.usage must be first or subsequent (got ${String(credential.usage)})`;
  if (credential.model !== 'unscheduled' && credential.model !== 'recurring') return `storedCredential.model must be unscheduled or recurring (got ${String(credential.model)})`;
  const id = credential.networkTransactionId;
  if (id !== null && (typeof id !== 'string' || id.trim() === '' || id.length > 5000)) return 'storedCredential.networkTransactionId must be a non-empty string or null';
  return null;
}

/** A PaymentIntent of the first use of a stored credential: the adapter sets `setup_future_usage` on those only. */
export const isFirstUse = (intent: Pick<Stripe.PaymentIntent, 'setup_future_usage'>): boolean => Boolean(intent.setup_future_usage);

/** Whether the PaymentIntent carries its charge itself (expanded), not only the charge's id. */
export const hasExpandedCharge = (intent: Pick<Stripe.PaymentIntent, 'latest_charge'>): boolean => typeof intent.latest_charge === 'object' && intent.latest_charge !== null;

/** The scheme's id of the PaymentIntent's charge, when the call expanded it (null when Stripe gave none). */
export function networkTransactionIdOf(intent: Stripe.PaymentIntent): string | null {
  const charge = intent.latest_charge;
  if (!charge || typeof charge === 'string') return null;
  return charge.payment_method_details?.card?.network_transaction_id ?? null;
}
