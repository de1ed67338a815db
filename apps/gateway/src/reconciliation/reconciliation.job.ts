import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { ReconcilePending } from './reconcile-pending.js';

/**
 * Runs reconciliation in the background every `reconcileIntervalMs` (absent or 0: off; the ops
 * endpoint still runs it on demand). One run at a time; the timer does not keep the process
 * alive, and shutdown waits for the run in progress.
 */
@Injectable()
export class ReconciliationJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Reconciliation');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly reconcile: ReconcilePending,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.reconcileIntervalMs ?? 0;
    if (interval > 0) this.schedule(interval);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(interval: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.reconcile
        .run({ force: false })
        .catch((error: unknown) => this.logger.warn(`reconciliation run failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => this.schedule(interval));
    }, interval);
    this.timer.unref();
  }
}
