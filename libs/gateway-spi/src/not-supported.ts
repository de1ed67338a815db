import type { OperationOutcome } from './node.js';

/**
 * The answer of an operation a node does not offer: failed, nothing moved, and saying so in the
 * message. Never a thrown "TODO": callers and the contract suite can tell it from a provider error.
 */
export function notSupported(nodeId: string, operation: string): OperationOutcome {
  return { outcome: 'failed', code: 'processing_error', message: `${operation} is not supported by ${nodeId}`, providerReference: null };
}

/** True for an answer built by `notSupported` (for `operation`, when given), wherever in the tree it came from. */
export function isNotSupported(outcome: { outcome: string; message: string | null }, operation?: string): boolean {
  const said = /^(\w+) is not supported by /.exec(outcome.message ?? '');
  return outcome.outcome === 'failed' && said !== null && (operation === undefined || said[1] === operation);
}
