import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { PrismaClient } from '#persistence';
import { GATEWAY_CONFIG, PRISMA } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { isSealed, openSecret, SEALED_PREFIX, sealSecret, secretsKeys } from './secret-box.js';

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
    @Inject(PRISMA) private readonly prisma: PrismaClient,
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
      const candidates = this.config.webhooks.previousSecretsKey ? {} : { NOT: { secret: { startsWith: SEALED_PREFIX } } };
      const rows = await this.prisma.webhookEndpoint.findMany({
        where: { id: { gt: after }, ...candidates },
        select: { id: true, secret: true },
        orderBy: { id: 'asc' },
        take: BATCH,
      });
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
        const { count } = await this.prisma.webhookEndpoint.updateMany({ where: { id: row.id, secret: row.secret }, data: { secret: sealSecret(secret, key) } });
        resealed += count;
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
