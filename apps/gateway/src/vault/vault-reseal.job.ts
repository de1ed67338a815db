import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { BackgroundLoop } from '../common/background-loop.js';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { VaultReseal } from './vault-reseal.js';
import { VaultStatus } from './vault-status.js';

/** Pause between re-seal passes during a rotation, unless `vault.resealIntervalMs` says otherwise. */
export const DEFAULT_RESEAL_INTERVAL_MS = 60_000;

/**
 * While a previous vault key is configured: a re-seal pass at start, then one every
 * `vault.resealIntervalMs`, for as long as the process runs. A pass that ends with nothing to do
 * still repeats: another process may still be sealing with the previous key (a rolling deploy).
 * Shutdown stops the pass in progress after its batch and waits for it.
 */
@Injectable()
export class VaultResealJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Vault');
  private readonly loop: BackgroundLoop;
  private first: Promise<void> | undefined;
  /** What the last pass left on other keys, so a pass logs only what changed. */
  private left: number | undefined;

  constructor(
    @Inject(GATEWAY_CONFIG) config: Pick<GatewayConfig, 'vault'>,
    private readonly reseal: VaultReseal,
    private readonly status: VaultStatus,
  ) {
    this.loop = new BackgroundLoop('vault re-seal', config.vault.resealIntervalMs ?? DEFAULT_RESEAL_INTERVAL_MS, () => this.pass(), this.logger);
  }

  onApplicationBootstrap(): void {
    if (!this.reseal.rotating()) return;
    this.first = this.pass().then(
      () => this.loop.start(),
      (error: unknown) => {
        this.logger.error(`vault re-seal failed: ${error instanceof Error ? error.message : String(error)}`);
        this.loop.start();
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.reseal.stop(), this.loop.stop(), this.first]);
  }

  private async pass(): Promise<void> {
    const resealed = await this.reseal.run();
    const left = await this.status.cardsOnOtherKeys();
    if (resealed > 0 || left !== this.left) {
      this.logger.log(
        left === 0
          ? `re-sealed ${resealed} vault card(s); every card is sealed with the current CANOPY_VAULT_KEY`
          : `re-sealed ${resealed} vault card(s); ${left} still sealed with another key`,
      );
    }
    this.left = left;
  }
}
