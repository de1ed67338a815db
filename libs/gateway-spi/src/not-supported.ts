import type { OptionalOperation } from './contract-fixture.js';
import type { OperationOutcome } from './money-operations.js';

/**
 * The answer of an operation a node does not offer: failed with `operation_not_supported`, nothing
 * moved, the message naming the operation for people. Never a thrown "TODO": callers and the contract
 * suite tell it from a provider error by its code.
 */
export function notSupported(nodeId: string, operation: OptionalOperation | 'authorize'): OperationOutcome {
  return { outcome: 'failed', code: 'operation_not_supported', message: `${operation} is not supported by ${nodeId}`, providerReference: null };
}

/**
 * True for an answer built by `notSupported`, wherever in the tree it came from. The operation is the
 * one the caller asked for: nodes pass such an answer up unchanged.
 */
export function isNotSupported(outcome: Pick<OperationOutcome, 'code'> & { outcome: string }): boolean {
  return outcome.outcome === 'failed' && outcome.code === 'operation_not_supported';
}
