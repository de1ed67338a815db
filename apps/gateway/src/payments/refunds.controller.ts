import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { PrismaClient } from '#persistence';
import { type AuthenticatedMerchant, CurrentMerchant, MerchantAuthGuard } from '../auth/merchant-auth.guard.js';
import { PRISMA } from '../common/tokens.js';
import { ApiErrors, ApiMerchantAuth } from '../docs/api-docs.decorators.js';
import { ApiError } from '../errors/api-error.js';
import { RefundResponse } from './dto/payment.response.js';
import { presentRefund } from './payment.presenter.js';

/** `GET /v1/refunds/{id}`: a refund's current status (a `pending` one is settled by reconciliation). */
@ApiTags('payments')
@ApiMerchantAuth()
@Controller('v1/refunds')
@UseGuards(MerchantAuthGuard)
export class RefundsController {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  @ApiOperation({ summary: 'Get a refund', description: 'Its current status; a `pending` refund is settled by reconciliation.' })
  @ApiParam({ name: 'id', description: 'A refund id (`re_…`).' })
  @ApiOkResponse({ type: RefundResponse })
  @ApiErrors(404)
  @Get(':id')
  async get(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string) {
    const refund = await this.prisma.refund.findFirst({ where: { id, merchantId: merchant.id } });
    if (!refund) throw ApiError.notFound('refund', id);
    return presentRefund(refund);
  }
}
