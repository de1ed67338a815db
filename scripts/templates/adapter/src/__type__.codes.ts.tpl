import type { UnifiedCode } from '#gateway-spi';

/**
 * __Name__'s decline and error codes → unified codes: the pure half of the adapter, tested without a
 * network (like hyperswitch's `transformers.rs`). Keep request/response mapping in files like this
 * one and the HTTP flow in `__type__.node.ts`.
 */
const PROVIDER_CODES: Readonly<Record<string, UnifiedCode>> = {
  // TODO: every decline and error code the provider documents, for example:
  // do_not_honor: 'card_declined',
  // insufficient_funds: 'insufficient_funds',
  // expired_card: 'expired_card',
  // incorrect_cvc: 'incorrect_cvc',
  // rate_limited: 'provider_unavailable',
};

/** An unknown code is a processing error: never pass a provider's code through unmapped. */
export function toUnifiedCode(providerCode: string | null | undefined): UnifiedCode {
  return (providerCode ? PROVIDER_CODES[providerCode] : undefined) ?? 'processing_error';
}
