import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedMerchant, CurrentMerchant, MerchantAuthGuard } from '../../auth/index.js';
import { Refusal } from '../../common/refusal.js';
import { ApiErrors, ApiMerchantAuth } from '../../docs/api-docs.decorators.js';
import { RefundsRepository } from '../persistence/refunds.repository.js';
import { RefundResponse } from './dto/payment.response.js';
import { presentRefund } from './payment.presenter.js';

/** `GET /v1/refunds/{id}`: a refund's current status (a `pending` one is settled by reconciliation). */
@ApiTags('payments')
@ApiMerchantAuth()
@Controller('v1/refunds')
@UseGuards(MerchantAuthGuard)
export class RefundsController {
  constructor(private readonly refunds: RefundsRepository) {}

  @ApiOperation({ summary: 'Get a refund', description: 'Its current status; a `pending` refund is settled by reconciliation.' })
  @ApiParam({ name: 'id', description: 'A refund id (`re_…`).' })
  @ApiOkResponse({ type: RefundResponse })
  @ApiErrors(404)
  @Get(':id')
  async get(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string) {
    const refund = await this.refunds.findOwned(merchant.id, id);
    if (!refund) throw Refusal.notFound('refund', id);
    return presentRefund(refund);
  }
}
