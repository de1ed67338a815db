import { Inject, Injectable } from '@nestjs/common';
import { PRISMA, type PrismaClient, step, UnitOfWorkRunner, type WebhookEndpoint } from '#persistence';
import { SEALED_PREFIX } from '../common/secret-box.js';

/** A new endpoint's row, its secret as it is to be stored (sealed when a key is set). */
export type NewWebhookEndpoint = Pick<WebhookEndpoint, 'id' | 'merchantId' | 'url' | 'events' | 'secret'>;

/** A stored endpoint secret, as the re-seal reads it. */
export interface StoredSecret {
  id: string;
  secret: string;
}

/** The webhook endpoints table. Only endpoints not deleted are the merchant's; reads and writes go by merchant. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly runner: UnitOfWorkRunner,
  ) {}

  countActive(merchantId: string): Promise<number> {
    return this.prisma.webhookEndpoint.count({ where: { merchantId, deletedAt: null } });
  }

  create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    return this.prisma.webhookEndpoint.create({ data: endpoint });
  }

  /** Newest first. */
  listActive(merchantId: string): Promise<WebhookEndpoint[]> {
    return this.prisma.webhookEndpoint.findMany({
      where: { merchantId, deletedAt: null },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  findActive(merchantId: string, id: string): Promise<WebhookEndpoint | null> {
    return this.prisma.webhookEndpoint.findFirst({ where: { id, merchantId, deletedAt: null } });
  }

  /**
   * Marks the endpoint deleted and cancels its pending deliveries, in one transaction. False when
   * the merchant has no such endpoint (nothing is written then).
   */
  delete(merchantId: string, id: string, at: Date): Promise<boolean> {
    const deletion = step(async (tx) => {
      const { count } = await tx.webhookEndpoint.updateMany({
        where: { id, merchantId, deletedAt: null },
        data: { deletedAt: at },
      });
      if (count === 0) return false;
      await tx.webhookDelivery.updateMany({
        where: { endpointId: id, status: 'pending' },
        data: { status: 'cancelled', lastError: 'endpoint deleted', lockedUntil: null, leaseToken: null, updatedAt: at },
      });
    });
    return this.runner.commit({ writes: [deletion] }, `deletion of webhook endpoint ${id}`);
  }

  /**
   * Up to `limit` stored secrets of endpoints after `after` (by id, deleted ones included), only
   * those in clear with `inClearOnly`.
   */
  secretsAfter(after: string, { inClearOnly }: { inClearOnly: boolean }, limit: number): Promise<StoredSecret[]> {
    return this.prisma.webhookEndpoint.findMany({
      where: { id: { gt: after }, ...(inClearOnly ? { NOT: { secret: { startsWith: SEALED_PREFIX } } } : {}) },
      select: { id: true, secret: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /** Replaces a secret only if the row still holds what was read; false when it no longer does. */
  async replaceSecret(read: StoredSecret, secret: string): Promise<boolean> {
    const { count } = await this.prisma.webhookEndpoint.updateMany({ where: { id: read.id, secret: read.secret }, data: { secret } });
    return count > 0;
  }
}
