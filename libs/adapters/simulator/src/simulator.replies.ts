import { type AuthorizeOutcome, type OperationOutcome, type StatusOutcome, statusWithoutMoney, type UnifiedCode } from '#gateway-spi';
import type { ChargeRecord } from './ledger-rules.js';

/** An authorize outcome before the leaf adds its path and attempt record. */
export type LeafReply = Omit<AuthorizeOutcome, 'path' | 'attempts'>;

/** Why a call got no provider answer (see `SimulatorNode.reach`). */
export type Unanswered = 'not-sent' | 'down' | 'no-reply' | 'error';

const MESSAGES: Partial<Record<UnifiedCode, string>> = {
  card_declined: 'The card was declined.',
  insufficient_funds: 'The card has insufficient funds.',
  expired_card: 'The card has expired.',
  invalid_card_number: 'The card number is invalid.',
  incorrect_cvc: 'The card security code is incorrect.',
  suspected_fraud: 'The issuer declined the payment as suspected fraud.',
  stolen_card: 'The card was reported lost or stolen.',
  do_not_honor: 'The issuer declined the payment without giving a reason.',
  try_again_later: 'The issuer asks to try again later.',
  issuer_unavailable: 'The issuer could not be reached.',
  authentication_required: 'The issuer requires 3-D Secure, but the request has no return URL to bring the shopper back to; nothing was charged.',
  authentication_failed: 'The 3-D Secure authentication failed; nothing was charged.',
  authentication_abandoned: 'The 3-D Secure challenge was cancelled before the shopper completed it; nothing was charged.',
  processing_error: 'The provider could not process the request; nothing was charged.',
  provider_unavailable: 'The provider refused the connection; nothing was charged.',
  provider_timeout: 'The provider did not reply before the deadline; it may have acted: ask for status.',
};

const UNANSWERED_CODE: Record<Unanswered, UnifiedCode> = {
  'not-sent': 'provider_timeout',
  down: 'provider_unavailable',
  'no-reply': 'provider_timeout',
  error: 'processing_error',
};

function reply(outcome: LeafReply['outcome'], code: UnifiedCode | null, retryable: boolean, message = code && MESSAGES[code]): LeafReply {
  return { outcome, code, message: message ?? null, retryable, providerReference: null, amountCaptured: 0 };
}

/** A merchant-initiated payment cannot ask for the shopper, so its authentication_required says why. */
const MIT_AUTHENTICATION_REQUIRED =
  'The issuer requires authentication, but a merchant-initiated payment cannot ask for the shopper and it carries no network transaction id for the exemption; nothing was charged.';

export function replyFromCharge(charge: ChargeRecord): LeafReply {
  const base = { providerReference: charge.providerReference, amountCaptured: charge.amountCaptured };
  if (charge.state === 'approved') {
    const credential = charge.storedCredential;
    return { ...reply('approved', null, false), ...base, ...(credential && { networkTransactionId: credential.networkTransactionId }) };
  }
  if (charge.state === 'requires_action' && charge.challenge) {
    const message = 'The shopper must authenticate (3-D Secure) at nextAction.url first.';
    return { ...reply('requires_action', null, false, message), ...base, nextAction: { type: 'redirect_to_url', url: charge.challenge.pageUrl } };
  }
  if (charge.state === 'declined') {
    const mit = charge.code === 'authentication_required' && charge.initiator === 'merchant';
    return { ...reply('declined', charge.code, false, mit ? MIT_AUTHENTICATION_REQUIRED : undefined), ...base };
  }
  return { ...reply('failed', charge.code, true), ...base };
}

/** Refused before anything was charged, so another child may be tried. */
export function rejectedReply(code: UnifiedCode, message: string): LeafReply {
  return reply('failed', code, true, message);
}

/** Not retryable: the attempt id already charged something. */
export function replayMismatchReply(message: string): LeafReply {
  return reply('failed', 'processing_error', false, message);
}

/**
 * `not-sent` (aborted before the call left), `down` and `error` prove nothing was charged: retryable.
 * `no-reply` never does: the caller cannot know what the provider did, only `status` can tell.
 */
export function unansweredReply(why: Unanswered): LeafReply {
  const code = UNANSWERED_CODE[why];
  if (why === 'no-reply') return reply('unknown', code, false);
  const message = why === 'not-sent' ? 'The deadline passed before the call was sent; nothing was charged.' : undefined;
  return reply('failed', code, true, message);
}

const OPERATION_MESSAGES: Record<Unanswered, string> = {
  'not-sent': 'The deadline passed before the call was sent; nothing changed.',
  down: 'The provider refused the connection; nothing changed.',
  'no-reply': 'The provider did not reply before the deadline; it may have acted: ask for status.',
  error: 'The provider could not process the request; nothing changed.',
};

export function unansweredOperation(why: Unanswered): OperationOutcome {
  const outcome = why === 'no-reply' ? 'unknown' : 'failed';
  return { outcome, code: UNANSWERED_CODE[why], message: OPERATION_MESSAGES[why], providerReference: null };
}

export function unansweredStatus(why: Unanswered): StatusOutcome {
  return statusWithoutMoney('unknown', UNANSWERED_CODE[why]);
}
