import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type PaymentEvent, PRISMA, type PrismaClient, step, UnitOfWorkRunner } from '#persistence';
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from './retry-schedule.js';
import type { SendResult } from './webhook-sender.js';

/** A delivery leased to one dispatcher until `lockedUntil`, with what it needs to send. */
export interface ClaimedDelivery {
  id: string;
  leaseToken: string;
  /** Attempts including this one. */
  attempt: number;
  endpoint: { id: string; url: string; secret: string; active: boolean };
  event: PaymentEvent;
}

/** The outbox table's state transitions; every write after the claim is fenced by the lease token. */
@Injectable()
export class WebhookDeliveryStore {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly runner: UnitOfWorkRunner,
  ) {}

  /**
   * Leases up to `limit` due deliveries. SKIP LOCKED lets several dispatchers (in one process or in
   * several sharing PostgreSQL) claim disjoint rows without waiting on each other; a row stays
   * leased until `now + leaseMs`, after which another dispatcher may claim it again.
   */
  async claimDue(now: Date, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const leaseToken = randomUUID();
    const lockedUntil = new Date(now.getTime() + leaseMs);
    const claimed = await this.prisma.$queryRaw<{ id: string; attempts: number }[]>`
      UPDATE webhook_deliveries AS d
         SET locked_until = ${lockedUntil}, lease_token = ${leaseToken}, attempts = d.attempts + 1, updated_at = ${now}
        FROM (SELECT id FROM webhook_deliveries
               WHERE status = 'pending' AND next_attempt_at <= ${now}
                 AND (locked_until IS NULL OR locked_until <= ${now})
               ORDER BY next_attempt_at, created_at
               LIMIT ${limit}
               FOR UPDATE SKIP LOCKED) AS due
       WHERE d.id = due.id
      RETURNING d.id, d.attempts`;
    if (claimed.length === 0) return [];
    const rows = await this.prisma.webhookDelivery.findMany({
      where: { id: { in: claimed.map((row) => row.id) } },
      include: { endpoint: true, event: true },
    });
    const attempts = new Map(claimed.map((row) => [row.id, Number(row.attempts)]));
    return rows
      .map((row) => ({
        id: row.id,
        leaseToken,
        attempt: attempts.get(row.id) ?? row.attempts,
        endpoint: {
          id: row.endpoint.id,
          url: row.endpoint.url,
          secret: row.endpoint.secret,
          active: row.endpoint.status === 'enabled' && row.endpoint.deletedAt === null,
        },
        event: row.event,
      }))
      .sort((a, b) => (a.event.seq < b.event.seq ? -1 : a.event.seq > b.event.seq ? 1 : 0));
  }

  /** Records what the send came to. Returns false when the lease was lost (another claim owns the row). */
  async recordResult(claim: ClaimedDelivery, result: SendResult, at: Date): Promise<boolean> {
    const fence = { id: claim.id, leaseToken: claim.leaseToken, status: 'pending' };
    const released = { lockedUntil: null, leaseToken: null, updatedAt: at };
    switch (result.kind) {
      case 'delivered': {
        const { count } = await this.prisma.webhookDelivery.updateMany({
          where: fence,
          data: { ...released, status: 'delivered', lastStatus: result.status, lastError: null, deliveredAt: at },
        });
        return count === 1;
      }
      case 'gone': {
        const disable = step(async (tx) => {
          const { count } = await tx.webhookDelivery.updateMany({
            where: fence,
            data: { ...released, status: 'cancelled', lastStatus: 410, lastError: 'receiver answered 410 Gone' },
          });
          if (count === 0) return false;
          await tx.webhookEndpoint.updateMany({
            where: { id: claim.endpoint.id, status: 'enabled' },
            data: { status: 'disabled', disabledAt: at, disabledReason: 'the receiver answered 410 Gone' },
          });
          await tx.webhookDelivery.updateMany({
            where: { endpointId: claim.endpoint.id, status: 'pending' },
            data: { ...released, status: 'cancelled', lastError: 'endpoint disabled (410 Gone)' },
          });
        });
        return this.runner.commit({ writes: [disable] }, `disabling of webhook endpoint ${claim.endpoint.id}`);
      }
      case 'retry': {
        const exhausted = claim.attempt >= MAX_DELIVERY_ATTEMPTS;
        const { count } = await this.prisma.webhookDelivery.updateMany({
          where: fence,
          data: {
            ...released,
            status: exhausted ? 'failed' : 'pending',
            lastStatus: result.status,
            lastError: result.error.slice(0, 500),
            nextAttemptAt: new Date(at.getTime() + (exhausted ? 0 : retryDelayMs(claim.attempt))),
          },
        });
        return count === 1;
      }
    }
  }

  /** A delivery whose endpoint was disabled or deleted after it was written. */
  async cancel(claim: ClaimedDelivery, at: Date): Promise<void> {
    await this.prisma.webhookDelivery.updateMany({
      where: { id: claim.id, leaseToken: claim.leaseToken, status: 'pending' },
      data: { status: 'cancelled', lastError: 'endpoint no longer active', lockedUntil: null, leaseToken: null, updatedAt: at },
    });
  }
}
