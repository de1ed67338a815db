import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { BackgroundLoop } from '../common/background-loop.js';
import { ReconcilePending } from './reconcile-pending.js';

/**
 * Runs reconciliation in the background every `reconcileIntervalMs` (absent or 0: off; the ops
 * endpoint still runs it on demand). One run at a time; the timer does not keep the process
 * alive, and shutdown waits for the run in progress.
 */
@Injectable()
export class ReconciliationJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: BackgroundLoop;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, reconcile: ReconcilePending) {
    this.loop = new BackgroundLoop(
      'reconciliation run',
      config.reconcileIntervalMs ?? 0,
      async () => {
        await reconcile.run({ force: false });
      },
      new Logger('Reconciliation'),
      'warn',
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
