import type { OperationOutcome } from '#gateway-spi';
import { Refusal } from '../../common/refusal.js';

/**
 * A provider that refused or did not answer a follow-up (capture, void). The key is released
 * either way; a refusal leaves the payment unchanged, no answer leaves the operation marked for
 * reconciliation.
 */
export function providerRefusal(operation: string, outcome: OperationOutcome): Refusal {
  if (outcome.outcome === 'unknown') {
    return new Refusal(
      'provider_timeout',
      outcome.code ?? 'provider_timeout',
      `The provider did not confirm the ${operation} in time. Retry with the same Idempotency-Key: it will not be applied twice. Otherwise reconciliation settles it.`,
    );
  }
  return new Refusal('provider_refused', outcome.code ?? 'processing_error', `The provider refused the ${operation}: ${outcome.message ?? 'no reason given'}.`);
}
