import type { UnifiedCode } from '#gateway-spi';
import { toUnifiedCode } from './__type__.codes.js';

/**
 * The pure half of the adapter: requests into the SDK's parameters, the SDK's answers and errors into
 * outcomes (like hyperswitch's `transformers.rs` beside `<connector>.rs`). No I/O here; the flow
 * (deadline, idempotency key, the call) lives in `__type__.node.ts`.
 */

/** How a call that ended in an error left the money. */
export type CallFailure =
  | { moved: 'no'; code: UnifiedCode; message: string; retryable: boolean }
  | { moved: 'maybe'; code: UnifiedCode; message: string };

/** What the SDK reports of a failed call, read off its error object. */
export interface ErrorFacts {
  /** The request never reached the provider (connection refused, DNS, TLS before sending). */
  notSent: boolean;
  /** The HTTP status the provider answered, null when none arrived (timeout, reset). */
  httpStatus: number | null;
  /** The provider's own error code, if any. */
  providerCode: string | null;
  message: string;
}

/**
 * Only an answer that proves the provider did nothing is "no money moved": not sent, or refused
 * before processing (401, 403, 400/422 validation, 429). A timeout, a reset or a 5xx after sending
 * may have charged: unknown, and the status inquiry settles it.
 */
export function failureOf(facts: ErrorFacts): CallFailure {
  if (facts.notSent) return { moved: 'no', code: 'provider_unavailable', message: facts.message, retryable: true };
  const status = facts.httpStatus;
  if (status === null) return { moved: 'maybe', code: 'provider_timeout', message: facts.message };
  if (status === 401 || status === 403 || status === 429) return { moved: 'no', code: 'provider_unavailable', message: facts.message, retryable: true };
  if (status >= 400 && status < 500) return { moved: 'no', code: toUnifiedCode(facts.providerCode), message: facts.message, retryable: true };
  return { moved: 'maybe', code: 'processing_error', message: facts.message };
}

// TODO: toCreateParams(request: AuthorizeRequest): Sdk.PaymentCreateParams, and
// authorizeAnswerOf(payment: Sdk.Payment): the outcome fields of an approved / declined payment.
