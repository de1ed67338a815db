import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { type AuthenticatedMerchant, CurrentMerchant, MerchantAuthGuard } from '../auth/index.js';
import { Refusal } from '../common/refusal.js';
import { ApiErrors, ApiMerchantAuth } from '../docs/api-docs.decorators.js';
import { requestTraceOf } from '../logging/request-trace.js';
import { RoutingPreviewDto } from './dto/routing-preview.dto.js';
import { RoutingPreviewResponse } from './dto/routing-preview.responses.js';
import { PreviewRoute } from './preview-route.js';
import { presentRoutingPreview } from './routing-preview.presenter.js';

@ApiTags('routing')
@ApiMerchantAuth()
@Controller('v1/routing')
@UseGuards(MerchantAuthGuard)
export class RoutingController {
  constructor(private readonly previewRoute: PreviewRoute) {}

  /** The candidate leaves of a payment with this body, in order, with quotes and reasons. Moves no money, stores nothing. */
  @ApiOperation({
    summary: 'Preview the route of a payment',
    description:
      'Same body as a payment (card number optional; no Idempotency-Key): the candidate leaves in failover order, each with ' +
      'its quote, its breaker and every router\'s reason. Moves no money and stores nothing.',
  })
  @ApiOkResponse({ type: RoutingPreviewResponse })
  @ApiErrors(400, 404)
  @Post('preview')
  @HttpCode(200)
  async preview(@CurrentMerchant() merchant: AuthenticatedMerchant, @Body() dto: RoutingPreviewDto, @Req() request: FastifyRequest) {
    const preview = await this.previewRoute.execute({
      merchantId: merchant.id,
      amount: dto.amount,
      currency: dto.currency,
      method: dto.payment_method.type,
      cardNumber: dto.payment_method.card?.number,
      customerCountry: dto.customer?.country,
      paymentId: dto.payment_id,
      offSession: dto.off_session,
      ...requestTraceOf(request),
    });
    if (preview instanceof Refusal) throw preview;
    return presentRoutingPreview(preview);
  }
}
