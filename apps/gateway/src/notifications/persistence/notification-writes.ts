import { Inject, Injectable } from '@nestjs/common';
import { type NotificationFact, parseAttemptId } from '#gateway-spi';
import { type Payment, PRISMA, type PrismaClient, type Refund, step, type Transaction, UnitOfWorkRunner, writeParts } from '#persistence';
import { newId } from '../../common/ids.js';
import { operationCleared, PaymentEventLog, type PaymentStatus, RefundsRepository, settleUndecided } from '../../payments/index.js';
import { decideFact, type FactEffect } from '../fact-effects.js';

/**
 * How one fact was taken; `duplicate`: applied before (same node and event id), nothing done;
 * `deferred`: not taken yet, nothing recorded (the provider is to send it again).
 */
export type FactResult = 'applied' | 'ignored' | 'unmatched' | 'duplicate' | 'deferred';

/** Rolls a deferred fact's transaction back, so its deduplication row is not kept either. */
class FactDeferred extends Error {
  constructor(readonly detail: string, readonly paymentId: string | null) {
    super(detail);
  }
}

export interface AppliedFact {
  result: FactResult;
  detail: string;
  paymentId: string | null;
}

/**
 * Applies provider facts, each exactly once: the fact's row (unique per node and event id) is
 * written in the transaction of the state change it causes, under the payment's row lock. A second
 * delivery, also one racing on another gateway process, waits on that unique key and then counts as
 * a duplicate.
 */
@Injectable()
export class NotificationWrites {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly runner: UnitOfWorkRunner,
    private readonly events: PaymentEventLog,
    private readonly refunds: RefundsRepository,
  ) {}

  async apply(nodeId: string, fact: NotificationFact, at: Date = new Date()): Promise<AppliedFact> {
    let applied: AppliedFact = { result: 'duplicate', detail: 'received before', paymentId: null };
    try {
      await this.runner.commit(
        {
          writes: [
            step(async (tx) => {
              applied = await this.applyWithin(tx, nodeId, fact, at);
            }),
          ],
        },
        `notification ${nodeId}/${fact.eventId}`,
      );
    } catch (error) {
      if (error instanceof FactDeferred) return { result: 'deferred', detail: error.detail, paymentId: error.paymentId };
      throw error;
    }
    return applied;
  }

  /** The latest facts received, newest first (the ops view). */
  recent(limit: number) {
    return this.prisma.providerNotification.findMany({ orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }], take: limit });
  }

  /** Facts by result, and the repeated deliveries of them, across the shared database. */
  async countsByResult(): Promise<{ counts: Record<string, number>; duplicates: number }> {
    const groups = await this.prisma.providerNotification.groupBy({ by: ['result'], _count: { _all: true }, _sum: { duplicates: true } });
    return {
      counts: Object.fromEntries(groups.map((group) => [group.result, group._count._all])),
      duplicates: groups.reduce((sum, group) => sum + (group._sum.duplicates ?? 0), 0),
    };
  }

  private async applyWithin(tx: Transaction, nodeId: string, fact: NotificationFact, at: Date): Promise<AppliedFact> {
    const id = newId('ntf');
    const claimed = await tx.$queryRaw<{ inserted: boolean }[]>`
      INSERT INTO provider_notifications (id, node_id, event_id, kind, result, detail, fact, received_at, last_seen_at)
      VALUES (${id}, ${nodeId}, ${fact.eventId}, ${fact.kind}, 'received', '', ${JSON.stringify(fact)}::jsonb, ${at}, ${at})
      ON CONFLICT (node_id, event_id) DO UPDATE
        SET duplicates = provider_notifications.duplicates + 1, last_seen_at = EXCLUDED.last_seen_at
      RETURNING (xmax = 0) AS inserted`;
    if (!claimed[0]?.inserted) return { result: 'duplicate', detail: 'received before', paymentId: null };

    const { payment, refund } = await this.subjectOf(tx, fact);
    const decision = decideFact(fact, payment, refund);
    if (decision.result === 'deferred') throw new FactDeferred(decision.detail, payment?.id ?? null);
    if (decision.result === 'applied' && payment) await this.perform(tx, payment, decision.effect, fact, at);
    await tx.providerNotification.update({
      where: { id },
      data: { result: decision.result, detail: decision.detail, paymentId: payment?.id ?? null, refundId: refund?.id ?? null },
    });
    return { result: decision.result, detail: decision.detail, paymentId: payment?.id ?? null };
  }

  /** The payment the fact is about, locked, and its refund for refund facts. */
  private async subjectOf(tx: Transaction, fact: NotificationFact): Promise<{ payment: Payment | null; refund: Refund | null }> {
    const refundId = fact.operationId?.startsWith('re_') ? fact.operationId : null;
    let paymentId: string | null = null;
    if (refundId) {
      paymentId = (await tx.refund.findUnique({ where: { id: refundId }, select: { paymentId: true } }))?.paymentId ?? null;
    } else {
      const attemptId = fact.operationId?.replace(/\.(capture|void)(\.\d+)?$/, '') ?? fact.attemptId;
      paymentId = attemptId ? (parseAttemptId(attemptId)?.paymentId ?? null) : null;
    }
    if (!paymentId && fact.providerReference) {
      paymentId = (await tx.payment.findFirst({ where: { providerReference: fact.providerReference }, select: { id: true } }))?.id ?? null;
    }
    if (!paymentId) return { payment: null, refund: null };
    await tx.$queryRaw`SELECT id FROM payments WHERE id = ${paymentId} FOR UPDATE`;
    const payment = await tx.payment.findUnique({ where: { id: paymentId } });
    const refund = refundId ? await tx.refund.findFirst({ where: { id: refundId, paymentId } }) : null;
    return { payment, refund };
  }

  private async perform(tx: Transaction, payment: Payment, effect: FactEffect, fact: NotificationFact, at: Date): Promise<void> {
    switch (effect.type) {
      case 'settle_undecided': {
        const holder = { id: payment.id, merchantId: payment.merchantId, from: effect.from, holdingAttemptId: payment.holdingAttemptId ?? '' };
        await settleUndecided(tx, this.events, holder, effect.resolution, 'notification', at);
        return;
      }
      case 'end_operation': {
        await tx.payment.update({
          where: { id: payment.id },
          data: { ...operationCleared(at), status: effect.to, ...(effect.to === 'captured' && { amountCaptured: effect.amountCaptured }) },
        });
        const data = { resolved_by: 'notification', provider_reference: fact.providerReference, ...(effect.to === 'captured' && { amount: effect.amountCaptured }) };
        await this.record(tx, payment, [{ from: effect.from, to: effect.to, data, ...(effect.eventType && { type: effect.eventType }) }], at);
        return;
      }
      case 'settle_refund':
        await this.refunds.settleNotified(tx, effect.refund, effect.to, at);
        return;
      case 'reverse_refund':
        await this.refunds.reverseSucceeded(tx, effect.refund, at);
        return;
      case 'dispute': {
        const status = payment.status as PaymentStatus;
        const data = { amount: fact.amount, currency: fact.currency, code: fact.code, reason: fact.message, provider_reference: fact.providerReference };
        await this.record(tx, payment, [{ from: status, to: status, type: 'payment.dispute_opened', data }], at);
        return;
      }
    }
  }

  private async record(tx: Transaction, payment: Payment, changes: Parameters<PaymentEventLog['parts']>[1], at: Date): Promise<void> {
    await writeParts(tx, this.events.parts(payment, changes, at), `events of payment ${payment.id}`);
  }
}
