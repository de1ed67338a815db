import { Inject, Injectable } from '@nestjs/common';
import { type Payment, type PaymentEvent, PRISMA, type PrismaClient } from '#persistence';
import type { PaymentWithAttempts } from '../domain/payment.js';
import type { PaymentStatus } from '../domain/payment-status.js';

export interface PaymentPage {
  rows: PaymentWithAttempts[];
  hasMore: boolean;
}

/** Where a payment is once its authorization was approved (a pending one with an operation in flight, too). */
const APPROVED_STATUSES = ['authorized', 'captured', 'partially_refunded', 'refunded', 'voided'] as const;

const BY_SEQ = { attempts: { orderBy: { seq: 'asc' } } } as const;
const NEWEST_FIRST = [{ createdAt: 'desc' }, { id: 'desc' }] as const;

/** Reads of payments. Merchant-scoped reads treat another merchant's id as a missing one. */
@Injectable()
export class PaymentsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findOwned(merchantId: string, paymentId: string): Promise<Payment | null> {
    return this.prisma.payment.findFirst({ where: { id: paymentId, merchantId } });
  }

  findOwnedWithAttempts(merchantId: string, paymentId: string): Promise<PaymentWithAttempts | null> {
    return this.prisma.payment.findFirst({ where: { id: paymentId, merchantId }, include: BY_SEQ });
  }

  /** Any merchant's payment: for the shopper's return from authenticating, which carries no API key. */
  findWithAttempts(paymentId: string): Promise<PaymentWithAttempts | null> {
    return this.prisma.payment.findUnique({ where: { id: paymentId }, include: BY_SEQ });
  }

  /** A page of the merchant's payments, newest first; null when `startingAfter` is not one of them. */
  async list(merchantId: string, options: { limit: number; startingAfter?: string; status?: PaymentStatus }): Promise<PaymentPage | null> {
    let cursor: { createdAt: Date; id: string } | undefined;
    if (options.startingAfter) {
      const anchor = await this.prisma.payment.findFirst({
        where: { id: options.startingAfter, merchantId },
        select: { createdAt: true, id: true },
      });
      if (!anchor) return null;
      cursor = anchor;
    }
    const rows = await this.prisma.payment.findMany({
      where: {
        merchantId,
        ...(options.status ? { status: options.status } : {}),
        ...(cursor
          ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }
          : {}),
      },
      orderBy: [...NEWEST_FIRST],
      take: options.limit + 1,
      include: BY_SEQ,
    });
    return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
  }

  /** The payment's events in order; null when the merchant has no such payment. */
  async events(merchantId: string, paymentId: string): Promise<PaymentEvent[] | null> {
    if (!(await this.findOwned(merchantId, paymentId))) return null;
    return this.prisma.paymentEvent.findMany({ where: { paymentId, merchantId }, orderBy: { seq: 'asc' } });
  }

  /** How many events of `type` the payment has (e.g. captures its provider reported failed). */
  countEvents(paymentId: string, type: string): Promise<number> {
    return this.prisma.paymentEvent.count({ where: { paymentId, type } });
  }

  /** The latest payments of every merchant (the ops feed). */
  async recent(limit: number): Promise<PaymentPage> {
    const rows = await this.prisma.payment.findMany({ orderBy: [...NEWEST_FIRST], take: limit + 1, include: BY_SEQ });
    return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
  }

  /**
   * Approved payments that were to save their card (setup_future_usage) and did not yet: settled
   * after their request (by reconciliation or a notification), oldest first, made after `since`.
   */
  approvedSetupsNotSaved(since: Date, limit: number): Promise<Payment[]> {
    return this.prisma.payment.findMany({
      where: {
        createdAt: { gt: since },
        setupFutureUsage: { not: null },
        setupSavedAt: null,
        vaultCardId: { not: null },
        OR: [{ status: { in: [...APPROVED_STATUSES] } }, { status: 'pending', operationInFlight: { not: null } }],
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
  }

  /** Payments whose outcome is not known yet (or not confirmed by their provider), across the shared database. */
  countPending(): Promise<number> {
    return this.prisma.payment.count({ where: { status: 'pending' } });
  }

  /** Payments whose capture or void their provider accepted and has not confirmed yet. */
  countAwaitingConfirmation(): Promise<number> {
    return this.prisma.payment.count({ where: { status: 'pending', operationAcceptedAt: { not: null } } });
  }

  /** Payments waiting for their shopper to authenticate. */
  countRequiringAction(): Promise<number> {
    return this.prisma.payment.count({ where: { status: 'requires_action' } });
  }

  /** Authorized payments whose capture or void went unanswered, waiting for a retry or reconciliation. */
  countUnresolvedOperations(): Promise<number> {
    return this.prisma.payment.count({ where: { status: 'authorized', operationInFlight: { not: null }, nextCheckAt: { not: null } } });
  }
}
