import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundJob, BackgroundLoop } from '../common/background-loop.js';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { IdempotencyRepository } from './idempotency.repository.js';

/** Rows deleted per statement, so a large backlog never holds long locks. */
export const PURGE_BATCH = 1_000;

/**
 * Deletes idempotency keys past their retention (`expires_at`: 48 h, API.md promises ≥ 24 h), so
 * the table does not grow forever.
 */
@Injectable()
export class ExpiredKeys {
  constructor(private readonly records: IdempotencyRepository) {}

  /** Deletes up to `batch` expired keys; returns how many. */
  purge(now: Date = new Date(), batch = PURGE_BATCH): Promise<number> {
    return this.records.purgeExpired(now, batch);
  }
}

/** Purges every `keyPurgeIntervalMs` (absent or 0: off), batch after batch while a backlog lasts. */
@Injectable()
export class ExpiredKeysJob extends BackgroundJob {
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, keys: ExpiredKeys) {
    super(
      new BackgroundLoop(
        'expired idempotency key purge',
        config.keyPurgeIntervalMs ?? 0,
        async () => (await keys.purge()) === PURGE_BATCH,
        new Logger('Idempotency'),
        'warn',
      ),
    );
  }
}
