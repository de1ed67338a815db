import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PrismaClient } from '#persistence';
import { AdminAuthGuard } from '../auth/admin-auth.guard.js';
import { PRISMA } from '../common/tokens.js';
import { ApiAdminAuth, ApiErrors } from '../docs/api-docs.decorators.js';
import { presentPayment } from '../payments/payment.presenter.js';
import { OpsPaymentListResponse } from './dto/ops.responses.js';
import { RecentPaymentsQuery } from './dto/recent-payments.query.js';

/** The latest payments of every merchant with their routes, for the ops dashboard. */
@ApiTags('ops')
@ApiAdminAuth()
@Controller('v1/ops/payments')
@UseGuards(AdminAuthGuard)
export class OpsPaymentsController {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  @ApiOperation({ summary: 'Recent payments of all merchants', description: 'Newest first, with route paths and attempts.' })
  @ApiOkResponse({ type: OpsPaymentListResponse })
  @ApiErrors(400)
  @Get()
  async recent(@Query() query: RecentPaymentsQuery) {
    const limit = query.limit ?? 20;
    const rows = await this.prisma.payment.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      include: { attempts: { orderBy: { seq: 'asc' } } },
    });
    return {
      object: 'list',
      data: rows.slice(0, limit).map((row) => ({ ...presentPayment(row, row.attempts), merchant_id: row.merchantId })),
      has_more: rows.length > limit,
    };
  }
}
