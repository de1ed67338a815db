import type { AttemptAddress, AuthorizeOutcome } from '#gateway-spi';

export const DEFAULT_JOURNAL_CAPACITY = 50_000;

/**
 * Where each authorize served by this node-host ended, by the attempt id it arrived with. A remote
 * node whose reply was lost records only its own id in the route path; follow-ups and status
 * inquiries for that attempt then arrive with an empty path, and the journal says which leaf (and
 * which of the subtree's own attempt ids: it may have failed over inside) holds the payment. An
 * attempt waiting for the shopper (`requires_action`) ends at the leaf that asked: its completion,
 * arriving later with an empty path, is sent there.
 * In memory and bounded: a restarted node-host falls back to asking its leaves (`searchSubtree`).
 */
export class AttemptJournal {
  private readonly entries = new Map<string, AttemptAddress>();

  constructor(private readonly capacity = DEFAULT_JOURNAL_CAPACITY) {}

  record(requestAttemptId: string, outcome: AuthorizeOutcome): void {
    const last = outcome.attempts.at(-1);
    if (!last) return;
    for (const attempt of outcome.attempts) {
      this.put(attempt.attemptId, { attemptId: attempt.attemptId, path: attempt.path, providerReference: attempt.providerReference });
    }
    // The attempt id the caller knows stands for the whole walk: it resolves to where the walk ended.
    this.put(requestAttemptId, { attemptId: last.attemptId, path: last.path, providerReference: last.providerReference });
  }

  find(attemptId: string): AttemptAddress | undefined {
    return this.entries.get(attemptId);
  }

  private put(attemptId: string, address: AttemptAddress): void {
    this.entries.delete(attemptId);
    this.entries.set(attemptId, address);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
