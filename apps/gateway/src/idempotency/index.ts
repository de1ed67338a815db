/** The idempotency feature's public file. */
export { IdempotencyModule } from './idempotency.module.js';
export { ExpiredKeys, PURGE_BATCH } from './expired-keys.job.js';
export { type Answer, idempotencyScope, IdempotentRequests } from './http/idempotent-requests.js';
export { requestFingerprint } from './http/request-fingerprint.js';
export type { IdempotencyKey } from './idempotency-key.js';
export { CLAIMED, IdempotencyRepository } from './idempotency.repository.js';
export type { IdempotencyScope, StoredResponse } from './idempotency-scope.js';
