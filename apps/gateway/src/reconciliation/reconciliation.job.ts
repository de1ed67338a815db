import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundJob, BackgroundLoop } from '../common/background-loop.js';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { SaveApprovedSetups } from '../payments/index.js';
import { ReconcilePending } from './reconcile-pending.js';

/**
 * Runs reconciliation in the background every `reconcileIntervalMs` (absent or 0: off; the ops
 * endpoint still runs it on demand). One run at a time; the timer does not keep the process
 * alive, and shutdown waits for the run in progress.
 */
@Injectable()
export class ReconciliationJob extends BackgroundJob {
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, reconcile: ReconcilePending, setups: SaveApprovedSetups) {
    super(
      new BackgroundLoop(
        'reconciliation run',
        config.reconcileIntervalMs ?? 0,
        async () => {
          await reconcile.run({ force: false });
          // Payments this run (or a notification) approved that were to save their card.
          await setups.run();
        },
        new Logger('Reconciliation'),
        'warn',
      ),
    );
  }
}
