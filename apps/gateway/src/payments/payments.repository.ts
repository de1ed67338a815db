import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '#persistence';
import { PRISMA } from '../common/tokens.js';
import { ApiError } from '../errors/api-error.js';
import type { PaymentStatus } from './payment-status.js';

/** Reads scoped to one merchant: another merchant's id is indistinguishable from a missing one. */
@Injectable()
export class PaymentsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async findOwned(merchantId: string, paymentId: string) {
    const payment = await this.prisma.payment.findFirst({ where: { id: paymentId, merchantId } });
    if (!payment) throw ApiError.notFound('payment', paymentId);
    return payment;
  }

  async findOwnedWithAttempts(merchantId: string, paymentId: string) {
    const payment = await this.prisma.payment.findFirst({
      where: { id: paymentId, merchantId },
      include: { attempts: { orderBy: { seq: 'asc' } } },
    });
    if (!payment) throw ApiError.notFound('payment', paymentId);
    return payment;
  }

  async list(merchantId: string, options: { limit: number; startingAfter?: string; status?: PaymentStatus }) {
    let cursor: { createdAt: Date; id: string } | undefined;
    if (options.startingAfter) {
      const anchor = await this.prisma.payment.findFirst({
        where: { id: options.startingAfter, merchantId },
        select: { createdAt: true, id: true },
      });
      if (!anchor) throw ApiError.notFound('payment', options.startingAfter);
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
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.limit + 1,
      include: { attempts: { orderBy: { seq: 'asc' } } },
    });
    return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
  }

  async events(merchantId: string, paymentId: string) {
    await this.findOwned(merchantId, paymentId);
    return this.prisma.paymentEvent.findMany({ where: { paymentId, merchantId }, orderBy: { seq: 'asc' } });
  }
}
