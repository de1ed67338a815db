import type { UnifiedCode } from '#gateway-spi';

/** One accepted modification, by its operation id (the idempotency key it was sent with). */
export interface JournalOperation {
  kind: 'capture' | 'void' | 'refund';
  amount: number;
  pspReference: string | null;
}

/**
 * What this node sent to Adyen for one attempt and what Adyen answered: no card data, ever. `sent`
 * means the answer is not known (lost, or not yet settled by status).
 */
export interface JournalEntry {
  attemptId: string;
  amount: number;
  currency: string;
  capture: boolean;
  state: 'sent' | 'approved' | 'declined' | 'failed';
  code: UnifiedCode | null;
  pspReference: string | null;
  /** Sums of the modifications Adyen received (201 `received`); confirmed later by notification. */
  captured: number;
  refunded: number;
  voided: boolean;
  operations: Map<string, JournalOperation>;
}

/** Entries kept per node; the oldest are forgotten first (status then asks Adyen again). */
export const JOURNAL_LIMIT = 50_000;

/**
 * The node's memory of its own calls, in this process only. Adyen's Checkout API has no "get payment":
 * the journal is what lets the node apply Adyen's accounting rules (capture ≤ authorised, refund ≤
 * captured, no void after capture) before it asks, and report captured/refunded in `status`.
 */
export class AdyenJournal {
  private readonly entries = new Map<string, JournalEntry>();

  constructor(private readonly limit = JOURNAL_LIMIT) {}

  get(attemptId: string): JournalEntry | undefined {
    return this.entries.get(attemptId);
  }

  /** Before an authorize is sent; a replay of a known attempt keeps what is known. */
  sent(input: Pick<JournalEntry, 'attemptId' | 'amount' | 'currency' | 'capture'>): JournalEntry {
    const known = this.entries.get(input.attemptId);
    if (known) return known;
    const entry: JournalEntry = { ...input, state: 'sent', code: null, pspReference: null, captured: 0, refunded: 0, voided: false, operations: new Map() };
    this.entries.set(input.attemptId, entry);
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  /** Adyen's answer to the authorize (or to status' replay of it). Settles an entry once. */
  settle(entry: JournalEntry, answer: { state: 'approved' | 'declined' | 'failed'; code: UnifiedCode | null; pspReference: string | null; amount?: number }): void {
    if (entry.state !== 'sent') return;
    entry.state = answer.state;
    entry.code = answer.code;
    entry.pspReference = answer.pspReference ?? entry.pspReference;
    if (answer.amount !== undefined && answer.amount > 0) entry.amount = answer.amount;
    if (answer.state === 'approved' && entry.capture) entry.captured = entry.amount;
  }

  forget(attemptId: string): void {
    this.entries.delete(attemptId);
  }

  /** Records a modification Adyen received, once per operation id. */
  received(entry: JournalEntry, operationId: string, operation: JournalOperation): void {
    if (entry.operations.has(operationId)) return;
    entry.operations.set(operationId, operation);
    if (operation.kind === 'capture') entry.captured += operation.amount;
    if (operation.kind === 'refund') entry.refunded += operation.amount;
    if (operation.kind === 'void') entry.voided = true;
  }
}

/** Why Adyen's accounting rules would refuse this modification, from what the journal knows; null: send it. */
export function modificationProblem(entry: JournalEntry, kind: JournalOperation['kind'], amount: number): string | null {
  if (entry.state === 'declined' || entry.state === 'failed') return `attempt ${entry.attemptId} was not authorised (${entry.state}${entry.code ? ` ${entry.code}` : ''})`;
  if (entry.state === 'sent') return null;
  if (kind !== 'void' && (!Number.isSafeInteger(amount) || amount <= 0)) return `amount must be a positive integer (got ${amount})`;
  if (kind === 'capture') {
    if (entry.voided) return `attempt ${entry.attemptId} was voided`;
    const remaining = entry.amount - entry.captured;
    if (amount > remaining) return `capture of ${amount} exceeds what remains to capture (${remaining} of ${entry.amount} authorised)`;
  }
  if (kind === 'void') {
    if (entry.captured > 0) return `attempt ${entry.attemptId} has ${entry.captured} captured: refund it instead`;
    if (entry.voided) return `attempt ${entry.attemptId} is already voided`;
  }
  if (kind === 'refund') {
    const refundable = entry.captured - entry.refunded;
    if (amount > refundable) return `refund of ${amount} exceeds what remains refundable (${refundable} of ${entry.captured} captured)`;
  }
  return null;
}
