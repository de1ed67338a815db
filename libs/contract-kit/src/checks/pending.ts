import type { AttemptAddress, OperationOutcome } from '#gateway-spi';
import { anyOf, type AnyOf } from '../harness/findings.js';
import type { NodeHarness } from '../harness/node-harness.js';
import { expectFactAbout, notifyLeaf } from './notification-facts.js';

/** What a valid capture, void or refund answers: done now, or accepted and confirmed later (`pending`). */
export const ACCEPTED = anyOf<OperationOutcome['outcome']>('succeeded', 'pending');

export const accepted = (outcome: OperationOutcome) => outcome.outcome === 'succeeded' || outcome.outcome === 'pending';

/**
 * What status may show once an operation was accepted: its effect, or, while it is pending, the state
 * before it too (the provider has not confirmed it yet); never anything else.
 */
export function afterOperation<T>(outcome: OperationOutcome, before: T, after: T): T | AnyOf<T> {
  return outcome.outcome === 'pending' && before !== after ? anyOf(before, after) : after;
}

/** The notification kind that confirms each operation. */
const CONFIRMED_BY = { capture: 'captured', void: 'cancelled', refund: 'refunded' } as const;

/**
 * A pending operation is confirmed by its provider's notification: when the node takes notifications,
 * the provider's message that it happened parses to a fact carrying the operation id the root sent.
 */
export async function confirmsPending(
  h: NodeHarness,
  label: string,
  outcome: OperationOutcome,
  operation: keyof typeof CONFIRMED_BY,
  address: AttemptAddress,
  operationId: string,
  amount: number,
): Promise<void> {
  if (outcome.outcome !== 'pending' || !h.supports('notifications')) return;
  const kind = CONFIRMED_BY[operation];
  const notice = `the ${kind} notification of ${label} (pending)`;
  const { answer, facts, full } = await notifyLeaf(h, notice, address, { kind, operationId, amount });
  expectFactAbout(h, notice, answer, facts, full);
}
