import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundJob, BackgroundLoop } from '../common/background-loop.js';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { VaultCardsRepository } from './persistence/vault-cards.repository.js';

/** Cards deleted per statement, so a large backlog never holds long locks. */
export const VAULT_PURGE_BATCH = 500;

/**
 * Deletes the vault cards whose retention passed (`retain_until`: tokens that expired unused,
 * one-off payments that saved nothing), with their tokens: card numbers are kept only as long as
 * they are needed.
 */
@Injectable()
export class VaultPurge {
  constructor(private readonly cards: VaultCardsRepository) {}

  /** Deletes up to `batch` cards due at `now` and their tokens; returns how many cards. */
  run(now: Date = new Date(), batch = VAULT_PURGE_BATCH): Promise<number> {
    return this.cards.purgeDue(now, batch);
  }
}

/** Purges every `vault.purgeIntervalMs` (absent or 0: off), batch after batch while a backlog lasts. */
@Injectable()
export class VaultPurgeJob extends BackgroundJob {
  constructor(@Inject(GATEWAY_CONFIG) config: Pick<GatewayConfig, 'vault'>, purge: VaultPurge) {
    const logger = new Logger('Vault');
    super(
      new BackgroundLoop(
        'vault retention purge',
        config.vault.purgeIntervalMs ?? 0,
        async () => {
          const purged = await purge.run();
          if (purged > 0) logger.log(`deleted ${purged} vault card(s) past their retention`);
          return purged === VAULT_PURGE_BATCH;
        },
        logger,
        'warn',
      ),
    );
  }
}
