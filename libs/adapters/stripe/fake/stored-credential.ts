import { child, text, type FormObject } from './form.js';

/**
 * What a PaymentIntent create said about storing or reusing the card, as the fake received it (for
 * tests and a later end-to-end check: `StripeFake.storedCredentialOf`).
 * - `off_session` (published: `true` / `false` / `one_off` / `recurring`): the shopper is not there.
 * - `setup_future_usage` (published): the card is kept for later (`off_session` / `on_session`).
 * - `payment_method_options[card][setup_credential_usage]` / `[stored_credential_usage]` (SDK 23's
 *   API version; newer than the published April 2022 copy): the model of a first / merchant-initiated one.
 * - `payment_method_options[card][mit_exemption][network_transaction_id]`: the scheme's id of the first
 *   payment (possibly made at another provider). Gated by Stripe per account; in neither the public
 *   OpenAPI nor the SDK's types.
 */
export interface ReceivedStoredCredential {
  offSession: boolean | 'one_off' | 'recurring';
  setupFutureUsage: 'off_session' | 'on_session' | null;
  setupCredentialUsage: CredentialUsage | null;
  storedCredentialUsage: CredentialUsage | null;
  mitNetworkTransactionId: string | null;
}

export type CredentialUsage = 'installment' | 'recurring' | 'unscheduled';
const USAGES: readonly string[] = ['installment', 'recurring', 'unscheduled'];

/** The fields of a create, or the 400 Stripe answers (message, param). */
export function receivedStoredCredential(form: FormObject): { ok: true; value: ReceivedStoredCredential } | { ok: false; message: string; param: string } {
  const offSessionText = text(form, 'off_session');
  let offSession: ReceivedStoredCredential['offSession'] = false;
  if (offSessionText !== undefined) {
    if (offSessionText === 'true' || offSessionText === 'false') offSession = offSessionText === 'true';
    else if (offSessionText === 'one_off' || offSessionText === 'recurring') offSession = offSessionText;
    else return { ok: false, message: `Invalid off_session: must be a boolean, one_off or recurring`, param: 'off_session' };
  }
  const sfu = text(form, 'setup_future_usage');
  if (sfu !== undefined && sfu !== 'off_session' && sfu !== 'on_session') return { ok: false, message: 'Invalid setup_future_usage: must be one of off_session, on_session', param: 'setup_future_usage' };
  const card = child(child(form, 'payment_method_options'), 'card');
  const usage = (name: string): CredentialUsage | null | 'invalid' => {
    const value = text(card, name);
    if (value === undefined) return null;
    return USAGES.includes(value) ? (value as CredentialUsage) : 'invalid';
  };
  const setupCredentialUsage = usage('setup_credential_usage');
  const storedCredentialUsage = usage('stored_credential_usage');
  if (setupCredentialUsage === 'invalid') return { ok: false, message: 'Invalid setup_credential_usage: must be one of installment, recurring, unscheduled', param: 'payment_method_options[card][setup_credential_usage]' };
  if (storedCredentialUsage === 'invalid') return { ok: false, message: 'Invalid stored_credential_usage: must be one of installment, recurring, unscheduled', param: 'payment_method_options[card][stored_credential_usage]' };
  const nti = text(child(card, 'mit_exemption'), 'network_transaction_id');
  const offSessionSet = offSession !== false;
  // The SDK's description: stored_credential_usage is for a payment confirmed with off_session=true,
  // and "currently unsupported with the setup_future_usage parameter"; setup_credential_usage goes with setup_future_usage.
  if (storedCredentialUsage && !offSessionSet) return { ok: false, message: 'stored_credential_usage can only be used with off_session=true', param: 'payment_method_options[card][stored_credential_usage]' };
  if (storedCredentialUsage && sfu) return { ok: false, message: 'stored_credential_usage is not supported with setup_future_usage', param: 'payment_method_options[card][stored_credential_usage]' };
  if (setupCredentialUsage && !sfu) return { ok: false, message: 'setup_credential_usage can only be used with setup_future_usage', param: 'payment_method_options[card][setup_credential_usage]' };
  // Fake's choice (the gated parameter is not published): an exemption is for a merchant-initiated payment only.
  if (nti !== undefined && (!offSessionSet || nti.trim() === '')) return { ok: false, message: 'mit_exemption[network_transaction_id] must be a non-empty string on an off_session payment', param: 'payment_method_options[card][mit_exemption][network_transaction_id]' };
  return { ok: true, value: { offSession, setupFutureUsage: sfu ?? null, setupCredentialUsage, storedCredentialUsage, mitNetworkTransactionId: nti ?? null } };
}
