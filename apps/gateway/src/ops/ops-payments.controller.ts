import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from '../auth/index.js';
import { ApiAdminAuth, ApiErrors } from '../docs/api-docs.decorators.js';
import { PaymentsRepository, presentPayment } from '../payments/index.js';
import { OpsPaymentListResponse } from './dto/ops.responses.js';
import { RecentPaymentsQuery } from './dto/recent-payments.query.js';

/** The latest payments of every merchant with their routes, for the ops dashboard. */
@ApiTags('ops')
@ApiAdminAuth()
@Controller('v1/ops/payments')
@UseGuards(AdminAuthGuard)
export class OpsPaymentsController {
  constructor(private readonly payments: PaymentsRepository) {}

  @ApiOperation({ summary: 'Recent payments of all merchants', description: 'Newest first, with route paths and attempts.' })
  @ApiOkResponse({ type: OpsPaymentListResponse })
  @ApiErrors(400)
  @Get()
  async recent(@Query() query: RecentPaymentsQuery) {
    const { rows, hasMore } = await this.payments.recent(query.limit ?? 20);
    return {
      object: 'list',
      data: rows.map((row) => ({ ...presentPayment(row, row.attempts), merchant_id: row.merchantId })),
      has_more: hasMore,
    };
  }
}
