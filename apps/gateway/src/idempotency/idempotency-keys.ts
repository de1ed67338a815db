import { Injectable } from '@nestjs/common';
import { combine, type IdempotencyRecord, type UnitOfWork, UnitOfWorkRunner } from '#persistence';
import { Refusal } from '../common/refusal.js';
import { CLAIMED, IdempotencyRepository } from './idempotency.repository.js';
import type { IdempotencyScope } from './idempotency-scope.js';

/**
 * The three steps of a key, each committed with the writes of the operation it guards: the claim
 * with the operation's first writes (e.g. the pending payment), the completion with its outcome and
 * stored response, or the release with what undoes its first writes.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly runner: UnitOfWorkRunner,
  ) {}

  /** `taken` when a request claimed the key before (nothing written); a refusal of a step of `unit` (nothing written). */
  async claim(scope: IdempotencyScope, resourceId: string, unit: UnitOfWork): Promise<'claimed' | 'taken' | Refusal> {
    const claim: UnitOfWork = { writes: [this.records.claimPart(scope, resourceId)], gate: CLAIMED };
    try {
      return (await this.runner.commit(combine(claim, unit), `claim of idempotency key ${scope.key}`)) ? 'claimed' : 'taken';
    } catch (error) {
      if (error instanceof Refusal) return error;
      throw error;
    }
  }

  async complete(scope: IdempotencyScope, unit: UnitOfWork, status: number, body: string): Promise<void> {
    const { part, required } = this.records.completionPart(scope, status, body);
    await this.runner.commit(combine(unit, { writes: [part], required: [required] }), `completion of idempotency key ${scope.key}`);
  }

  async release(scope: IdempotencyScope, unit: UnitOfWork): Promise<void> {
    const { part, required } = this.records.releasePart(scope);
    await this.runner.commit(combine(unit, { writes: [part], required: [required] }), `release of idempotency key ${scope.key}`);
  }

  find(scope: IdempotencyScope): Promise<IdempotencyRecord | null> {
    return this.records.find(scope);
  }
}
