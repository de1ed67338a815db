import type { UnitOfWork } from '#persistence';
import type { Refusal } from '../common/refusal.js';

/**
 * The idempotency key of the request a use case runs for, as the use case sees it: the key's steps
 * commit with the use case's own writes. Claimed once per (merchant, key) across every gateway
 * process: the database's primary key decides.
 */
export interface IdempotencyKey<Result> {
  /**
   * Commits `unit` with the claim of the key, in one statement when it can. Parts of `unit` read
   * the claim (`FROM <CLAIMED>`) so that they write nothing when the key was already taken; a retry
   * of a request that holds or held the key never comes back from here (its answer is replayed). A
   * step of `unit` that refuses comes back as the result: nothing was written, the key stays free.
   */
  claim(resourceId: string, unit: UnitOfWork): Promise<Refusal | undefined>;
  /** Commits `unit` with the answer to `result`, stored for the replays, in the same statement when it can. */
  complete(unit: UnitOfWork, result: Result): Promise<void>;
  /** Commits `unit` and frees the key: nothing happened that a retry would repeat. */
  release(unit: UnitOfWork): Promise<void>;
  /**
   * Never comes back when an earlier request claimed the key (its answer is replayed): for a use case
   * that refuses what its own first attempt used up (a single-use token), before refusing.
   */
  replayIfClaimed(): Promise<void>;
}
