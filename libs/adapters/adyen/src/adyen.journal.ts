import type { NextAction, UnifiedCode } from '#gateway-spi';

/**
 * One modification, by its operation id (the idempotency key and `reference` it was sent with).
 * `pending`: Adyen received it (201); `confirmed` / `failed`: its notification said so.
 */
export interface JournalOperation {
  kind: 'capture' | 'void' | 'refund';
  amount: number;
  pspReference: string | null;
  state: 'pending' | 'confirmed' | 'failed';
}

/**
 * What this node sent to Adyen for one attempt and what Adyen answered: no card data, ever. `sent`
 * means the answer is not known (lost, or not yet settled by status); `requires_action`: Adyen waits
 * for the shopper (`nextAction`).
 */
export interface JournalEntry {
  attemptId: string;
  /** 0 and '' while not known (an entry rebuilt from an answer that did not carry them). */
  amount: number;
  currency: string;
  /** Captures at once; null when not known (rebuilt without the journal, and no verified return marker). */
  capture: boolean | null;
  state: 'sent' | 'requires_action' | 'approved' | 'declined' | 'failed';
  code: UnifiedCode | null;
  pspReference: string | null;
  nextAction: NextAction | null;
  /**
   * The shopper's redirect result while its /payments/details answer is not known (lost reply, 5xx):
   * status asks again under the same idempotency key, which replays Adyen's stored answer.
   */
  redirectResult: string | null;
  /** Sent with a stored credential; null when not known (rebuilt from a replayed answer, which does not say). */
  storedCredential: boolean | null;
  /**
   * Approved with a stored credential: Adyen's `additionalData.networkTxReference` (null: its answer
   * had none). Absent for a one-off payment, a rebuilt entry whose answer had none, and an approval
   * only a notification told (`lacksNetworkId`: Adyen's answer, replayed, still can).
   */
  networkTransactionId?: string | null;
  /** Confirmed sums: capture now, or modifications whose notification confirmed them. */
  captured: number;
  refunded: number;
  voided: boolean;
  operations: Map<string, JournalOperation>;
}

type Answer = {
  state: 'requires_action' | 'approved' | 'declined' | 'failed';
  code: UnifiedCode | null;
  pspReference: string | null;
  amount?: number;
  currency?: string;
  nextAction?: NextAction | null;
  /** An answer of the API: its `additionalData.networkTxReference` (null: none). Absent: a notification, which is not read for it. */
  networkTxReference?: string | null;
};

/** Entries kept per node; the oldest are forgotten first (status then asks Adyen again). */
export const JOURNAL_LIMIT = 50_000;

/**
 * The node's memory of its own calls, in this process only. Adyen's Checkout API has no "get payment":
 * the journal is what lets the node apply Adyen's accounting rules (capture ≤ authorised, refund ≤
 * captured, no void after capture) before it asks, and report in `status` what Adyen confirmed.
 */
export class AdyenJournal {
  private readonly entries = new Map<string, JournalEntry>();
  private readonly byPsp = new Map<string, string>();

  constructor(private readonly limit = JOURNAL_LIMIT) {}

  get(attemptId: string): JournalEntry | undefined {
    return this.entries.get(attemptId);
  }

  /** The entry of the payment Adyen knows as `pspReference`. */
  byPspReference(pspReference: string): JournalEntry | undefined {
    const attemptId = this.byPsp.get(pspReference);
    return attemptId === undefined ? undefined : this.entries.get(attemptId);
  }

  /** Before an authorize is sent (or rebuilt from a replayed answer: `storedCredential` not known); a replay of a known attempt keeps what is known. */
  sent(input: Pick<JournalEntry, 'attemptId' | 'amount' | 'currency' | 'capture'> & Partial<Pick<JournalEntry, 'storedCredential'>>): JournalEntry {
    const known = this.entries.get(input.attemptId);
    if (known) {
      if (known.storedCredential === null && input.storedCredential !== undefined) known.storedCredential = input.storedCredential;
      return known;
    }
    const entry: JournalEntry = {
      storedCredential: null,
      ...input,
      state: 'sent',
      code: null,
      pspReference: null,
      nextAction: null,
      redirectResult: null,
      captured: 0,
      refunded: 0,
      voided: false,
      operations: new Map(),
    };
    this.entries.set(input.attemptId, entry);
    while (this.entries.size > this.limit) {
      const oldest = this.entries.values().next().value!;
      this.entries.delete(oldest.attemptId);
      if (oldest.pspReference) this.byPsp.delete(oldest.pspReference);
    }
    return entry;
  }

  /**
   * Adyen's answer to the authorize, to status' replay of it, or to the shopper's return. A waiting
   * entry (`requires_action`) is settled once more by the final answer; a final one never changes.
   */
  settle(entry: JournalEntry, answer: Answer): void {
    if (entry.state !== 'sent' && entry.state !== 'requires_action') {
      // An approval a notification told first still learns the id from Adyen's own answer.
      if (entry.state === 'approved' && answer.state === 'approved') settleNetworkId(entry, answer.networkTxReference);
      return;
    }
    // What a rebuilt entry did not know (a RedirectShopper answer need not carry pspReference or amount) is filled by any later answer.
    if (answer.amount !== undefined && answer.amount > 0) entry.amount = answer.amount;
    if (!entry.currency && answer.currency) entry.currency = answer.currency.toUpperCase();
    if (answer.pspReference && !entry.pspReference) {
      entry.pspReference = answer.pspReference;
      this.byPsp.set(entry.pspReference, entry.attemptId);
    }
    if (entry.state === 'requires_action' && answer.state === 'requires_action') return;
    entry.state = answer.state;
    entry.code = answer.code;
    entry.nextAction = answer.state === 'requires_action' ? (answer.nextAction ?? null) : null;
    if (answer.state !== 'requires_action') entry.redirectResult = null;
    if (answer.state === 'approved' && entry.capture === true) entry.captured = entry.amount;
    if (answer.state === 'approved') settleNetworkId(entry, answer.networkTxReference);
  }

  forget(attemptId: string): void {
    const entry = this.entries.get(attemptId);
    if (entry?.pspReference) this.byPsp.delete(entry.pspReference);
    this.entries.delete(attemptId);
  }

  /** Records a modification Adyen received (pending until its notification), once per operation id. */
  received(entry: JournalEntry, operationId: string, operation: Omit<JournalOperation, 'state'>): void {
    if (entry.operations.has(operationId)) return;
    entry.operations.set(operationId, { ...operation, state: 'pending' });
  }

  /**
   * A modification's notification: confirmed (the sums move) or failed (its amount is free again).
   * One Adyen made for another process is recorded here as it is notified. Applied once.
   */
  notified(entry: JournalEntry, operationId: string, operation: Omit<JournalOperation, 'state' | 'pspReference'>, confirmed: boolean): void {
    let known = entry.operations.get(operationId);
    if (!known) {
      known = { ...operation, pspReference: null, state: 'pending' };
      entry.operations.set(operationId, known);
    }
    if (known.state !== 'pending') return;
    known.state = confirmed ? 'confirmed' : 'failed';
    if (!confirmed) return;
    if (known.kind === 'capture') entry.captured += known.amount;
    if (known.kind === 'refund') entry.refunded += known.amount;
    if (known.kind === 'void') entry.voided = true;
    // Adyen refunds only what it captured: a confirmed refund proves pending captures up to it (their own notification then changes nothing).
    for (const operation of entry.operations.values()) {
      if (entry.captured >= entry.refunded) break;
      if (operation.kind !== 'capture' || operation.state !== 'pending') continue;
      operation.state = 'confirmed';
      entry.captured += operation.amount;
    }
  }
}

/**
 * The network transaction id of an approved entry from an answer: an id Adyen gave is kept, unless the
 * payment was a one-off; an answer without one is null for a stored credential (never erasing an id
 * known), nothing for a rebuilt entry (not known to be one). A notification (`undefined`) tells nothing.
 */
function settleNetworkId(entry: JournalEntry, answered: string | null | undefined): void {
  if (entry.storedCredential === false || answered === undefined) return;
  if (answered !== null) entry.networkTransactionId = answered;
  else if (entry.storedCredential === true) entry.networkTransactionId ??= null;
}

/** Approved with a stored credential, but only a notification told it: the id is still to be asked (Adyen's answer, replayed). */
export function lacksNetworkId(entry: JournalEntry): boolean {
  return entry.state === 'approved' && entry.storedCredential === true && entry.networkTransactionId === undefined;
}

/** What is confirmed plus what is pending of one kind: the sums Adyen's accounting rules count against. */
function claimed(entry: JournalEntry, kind: JournalOperation['kind']): number {
  let pending = 0;
  for (const operation of entry.operations.values()) if (operation.kind === kind && operation.state === 'pending') pending += kind === 'void' ? 1 : operation.amount;
  if (kind === 'capture') return entry.captured + pending;
  if (kind === 'refund') return entry.refunded + pending;
  return (entry.voided ? 1 : 0) + pending;
}

/** Why Adyen's accounting rules would refuse this modification, from what the journal knows; null: send it. */
export function modificationProblem(entry: JournalEntry, kind: JournalOperation['kind'], amount: number): string | null {
  if (entry.state === 'declined' || entry.state === 'failed') return `attempt ${entry.attemptId} was not authorised (${entry.state}${entry.code ? ` ${entry.code}` : ''})`;
  if (entry.state === 'requires_action') {
    // A void reaches Adyen (the shopper may have authenticated meanwhile); nothing else is possible before authorisation.
    if (kind !== 'void') return `attempt ${entry.attemptId} is not authorised yet: Adyen waits for the shopper (3-D Secure)`;
    return claimed(entry, 'void') > 0 ? `attempt ${entry.attemptId} is already voided` : null;
  }
  if (entry.state === 'sent') return null;
  if (kind !== 'void' && (!Number.isSafeInteger(amount) || amount <= 0)) return `amount must be a positive integer (got ${amount})`;
  const captured = claimed(entry, 'capture');
  const voided = claimed(entry, 'void') > 0;
  // Rebuilt without the amount or the capture mode: the bounds are not known here, Adyen's rules decide (by notification).
  const bounded = entry.amount > 0 && entry.capture !== null;
  if (kind === 'capture') {
    if (voided) return `attempt ${entry.attemptId} was voided`;
    if (!bounded) return null;
    const remaining = entry.amount - captured;
    if (amount > remaining) return `capture of ${amount} exceeds what remains to capture (${remaining} of ${entry.amount} authorised)`;
  }
  if (kind === 'void') {
    if (captured > 0) return `attempt ${entry.attemptId} has ${captured} captured: refund it instead`;
    if (voided) return `attempt ${entry.attemptId} is already voided`;
  }
  if (kind === 'refund' && bounded) {
    const refundable = captured - claimed(entry, 'refund');
    if (amount > refundable) return `refund of ${amount} exceeds what remains refundable (${refundable} of ${captured} captured)`;
  }
  return null;
}
