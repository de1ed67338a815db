import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { isSealed, openSecret, sealSecret, secretsKeys } from '../common/secret-box.js';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository.js';

const BATCH = 500;

/**
 * With a secrets key configured, brings every stored endpoint secret under it at start: secrets
 * stored in clear (before the key was set) and secrets sealed with the previous key (a rotation).
 * Each row is rewritten only if it still holds what was read, so processes starting together do no
 * harm. Once it has run, the previous key can be dropped.
 */
@Injectable()
export class SecretsReseal implements OnApplicationBootstrap {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const resealed = await this.run();
    if (resealed > 0) this.logger.log(`sealed ${resealed} webhook secret(s) with the current CANOPY_WEBHOOK_SECRETS_KEY`);
  }

  /** Re-seals what the current key cannot open; returns how many secrets were rewritten. */
  async run(): Promise<number> {
    const key = this.config.webhooks.secretsKey;
    if (!key) return 0;
    let resealed = 0;
    let after = '';
    for (;;) {
      // Without a rotation only secrets in clear need work: usually none, so start-up reads nothing.
      const rows = await this.endpoints.secretsAfter(after, { inClearOnly: !this.config.webhooks.previousSecretsKey }, BATCH);
      if (rows.length === 0) return resealed;
      after = rows.at(-1)!.id;
      for (const row of rows) {
        if (isSealed(row.secret) && this.opensWithCurrent(row.secret, key)) continue;
        let secret: string;
        try {
          secret = openSecret(row.secret, secretsKeys(this.config));
        } catch (error) {
          // A key that was lost: its deliveries fail with "cannot sign"; the endpoint must be re-created.
          this.logger.warn(`webhook endpoint ${row.id}: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        if (await this.endpoints.replaceSecret(row, sealSecret(secret, key))) resealed += 1;
      }
    }
  }

  private opensWithCurrent(stored: string, key: Buffer): boolean {
    try {
      openSecret(stored, [key]);
      return true;
    } catch {
      return false;
    }
  }
}
