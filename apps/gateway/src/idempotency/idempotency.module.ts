import { Module } from '@nestjs/common';
import { ExpiredKeys, ExpiredKeysJob } from './expired-keys.job.js';
import { IdempotentRequests } from './http/idempotent-requests.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { IdempotencyKeys } from './idempotency-keys.js';

/**
 * Idempotency keys: claimed, completed or released with the writes of the operation they guard
 * (IdempotencyKeys), answered and replayed at the HTTP layer (IdempotentRequests), purged once
 * expired (ExpiredKeysJob).
 */
@Module({
  providers: [IdempotencyRepository, IdempotencyKeys, IdempotentRequests, ExpiredKeys, ExpiredKeysJob],
  exports: [IdempotentRequests, IdempotencyRepository],
})
export class IdempotencyModule {}
