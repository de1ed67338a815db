import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PrismaClient } from '#persistence';
import { BackgroundJob, BackgroundLoop } from '../common/background-loop.js';
import { GATEWAY_CONFIG, PRISMA } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';

/** Rows deleted per statement, so a large backlog never holds long locks. */
export const PURGE_BATCH = 1_000;

/**
 * Deletes idempotency keys past their retention (`expires_at`: 48 h, API.md promises ≥ 24 h), so
 * the table does not grow forever. Only completed keys: one still in flight belongs to a request
 * that has not answered, or to an orphaned payment that reconciliation has yet to settle.
 */
@Injectable()
export class ExpiredKeys {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Deletes up to `batch` expired keys; returns how many. */
  purge(now: Date = new Date(), batch = PURGE_BATCH): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM idempotency_records
       WHERE (merchant_id, key) IN (SELECT merchant_id, key FROM idempotency_records
                                     WHERE state = 'completed' AND expires_at < ${now}
                                     LIMIT ${batch})`;
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
