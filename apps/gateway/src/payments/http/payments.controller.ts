import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Refusal } from '../../common/refusal.js';
import { SERVER_TIMING_HEADER, ServerTimed } from '../../common/server-timing.js';
import { type AuthenticatedMerchant, CurrentMerchant, MerchantAuthGuard } from '../../auth/index.js';
import { ApiErrors, ApiIdempotent, ApiMerchantAuth } from '../../docs/api-docs.decorators.js';
import { idempotencyScope, IdempotentRequests } from '../../idempotency/index.js';
import { requestTraceOf } from '../../logging/request-trace.js';
import { PaymentsRepository } from '../persistence/payments.repository.js';
import { CapturePayment } from '../use-cases/capture-payment.js';
import { CompleteAction } from '../use-cases/complete-action.js';
import { CreatePayment } from '../use-cases/create-payment.js';
import { RefundPayment } from '../use-cases/refund-payment.js';
import { VoidPayment } from '../use-cases/void-payment.js';
import { CapturePaymentDto } from './dto/capture-payment.dto.js';
import { CreatePaymentDto } from './dto/create-payment.dto.js';
import { CreateRefundDto } from './dto/create-refund.dto.js';
import { ListPaymentsQuery } from './dto/list-payments.query.js';
import {
  PaymentEventListResponse,
  PaymentListResponse,
  PaymentResponse,
  RefundResponse,
} from './dto/payment.response.js';
import { createPaymentCommand } from './payment-commands.js';
import { createdPaymentAnswer, presentEvent, presentPayment, refundAnswer, settledPaymentAnswer } from './payment.presenter.js';

const REPLAYED = { 'Idempotent-Replayed': { description: '`true` on a replayed answer.', schema: { type: 'string' } }, ...SERVER_TIMING_HEADER };
const PAYMENT_ID = ApiParam({ name: 'id', description: 'A payment id (`pay_…`).' });

@ApiTags('payments')
@ApiMerchantAuth()
@Controller('v1/payments')
@UseGuards(MerchantAuthGuard)
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly idempotent: IdempotentRequests,
    private readonly createPayment: CreatePayment,
    private readonly capturePayment: CapturePayment,
    private readonly voidPayment: VoidPayment,
    private readonly refundPayment: RefundPayment,
    private readonly completeAction: CompleteAction,
  ) {}

  @ApiOperation({ summary: 'Create a payment', description: 'Routes the payment through the tree. A declined or failed payment is still 201.' })
  @ApiIdempotent()
  @ApiCreatedResponse({ type: PaymentResponse, headers: REPLAYED })
  @ApiErrors(404, 503)
  @Post()
  @ServerTimed('create')
  async create(
    @CurrentMerchant() merchant: AuthenticatedMerchant,
    @Body() dto: CreatePaymentDto,
    @Headers('idempotency-key') key: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const scope = idempotencyScope(merchant.id, request, key);
    await this.idempotent.respond(reply, scope, createdPaymentAnswer, (handle) =>
      this.createPayment.execute(createPaymentCommand(merchant, dto, requestTraceOf(request), handle, request)),
    );
  }

  @ApiOperation({ summary: 'Capture an authorized payment', description: 'Once, at most the authorized amount; the rest is released.' })
  @PAYMENT_ID
  @ApiIdempotent()
  @ApiOkResponse({ type: PaymentResponse, headers: REPLAYED })
  @ApiErrors(404, 502, 504)
  @Post(':id/capture')
  @ServerTimed('capture')
  async capture(
    @CurrentMerchant() merchant: AuthenticatedMerchant,
    @Param('id') id: string,
    @Body() dto: CapturePaymentDto,
    @Headers('idempotency-key') key: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const scope = idempotencyScope(merchant.id, request, key);
    await this.idempotent.respond(reply, scope, settledPaymentAnswer, (handle) =>
      this.capturePayment.execute({ merchantId: merchant.id, paymentId: id, amount: dto.amount, ...requestTraceOf(request), treeTime: request, key: handle }),
    );
  }

  @ApiOperation({
    summary: 'Complete a payment that waits for its shopper',
    description:
      'Asks the leaf holding a `requires_action` payment where its authentication stands (the shopper may have finished it ' +
      'without coming back) and settles the payment as the provider says. Idempotent: any other payment is answered as it is.',
  })
  @PAYMENT_ID
  @ApiOkResponse({ type: PaymentResponse, headers: SERVER_TIMING_HEADER })
  @ApiErrors(404)
  @Post(':id/confirm')
  @ServerTimed('complete')
  @HttpCode(200)
  async confirm(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string, @Req() request: FastifyRequest) {
    const payment = await this.completeAction.execute({ paymentId: id, merchantId: merchant.id, ...requestTraceOf(request), treeTime: request, returnData: {} });
    if (payment instanceof Refusal) throw payment;
    return presentPayment(payment, payment.attempts);
  }

  @ApiOperation({ summary: 'Void an authorized payment' })
  @PAYMENT_ID
  @ApiIdempotent()
  @ApiOkResponse({ type: PaymentResponse, headers: REPLAYED })
  @ApiErrors(404, 502, 504)
  @Post(':id/void')
  @ServerTimed('void')
  async void(
    @CurrentMerchant() merchant: AuthenticatedMerchant,
    @Param('id') id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const scope = idempotencyScope(merchant.id, request, key);
    await this.idempotent.respond(reply, scope, settledPaymentAnswer, (handle) =>
      this.voidPayment.execute({ merchantId: merchant.id, paymentId: id, ...requestTraceOf(request), treeTime: request, key: handle }),
    );
  }

  @ApiOperation({ summary: 'Refund a captured payment', description: 'Many partial refunds; their sum is at most `amount_captured`.' })
  @PAYMENT_ID
  @ApiIdempotent()
  @ApiCreatedResponse({ type: RefundResponse, headers: REPLAYED })
  @ApiErrors(404, 502, 504)
  @Post(':id/refunds')
  @ServerTimed('refund')
  async refund(
    @CurrentMerchant() merchant: AuthenticatedMerchant,
    @Param('id') id: string,
    @Body() dto: CreateRefundDto,
    @Headers('idempotency-key') key: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const scope = idempotencyScope(merchant.id, request, key);
    await this.idempotent.respond(reply, scope, refundAnswer, (handle) =>
      this.refundPayment.execute({
        merchantId: merchant.id,
        paymentId: id,
        amount: dto.amount,
        reason: dto.reason ?? null,
        ...requestTraceOf(request),
        treeTime: request,
        key: handle,
      }),
    );
  }

  @ApiOperation({ summary: 'List payments', description: 'Newest first, paged with `starting_after`.' })
  @ApiOkResponse({ type: PaymentListResponse })
  @ApiErrors(400, 404)
  @Get()
  async list(@CurrentMerchant() merchant: AuthenticatedMerchant, @Query() query: ListPaymentsQuery) {
    const page = await this.payments.list(merchant.id, {
      limit: query.limit ?? 10,
      startingAfter: query.starting_after,
      status: query.status,
    });
    if (!page) throw Refusal.notFound('payment', query.starting_after!);
    return { object: 'list', data: page.rows.map((row) => presentPayment(row, row.attempts)), has_more: page.hasMore };
  }

  @ApiOperation({ summary: 'Get a payment', description: 'With its route and every attempt, each with the reason the routers gave.' })
  @PAYMENT_ID
  @ApiOkResponse({ type: PaymentResponse })
  @ApiErrors(404)
  @Get(':id')
  async get(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string) {
    const payment = await this.payments.findOwnedWithAttempts(merchant.id, id);
    if (!payment) throw Refusal.notFound('payment', id);
    return presentPayment(payment, payment.attempts);
  }

  @ApiOperation({ summary: "List a payment's events", description: 'Every state change, in order.' })
  @PAYMENT_ID
  @ApiOkResponse({ type: PaymentEventListResponse })
  @ApiErrors(404)
  @Get(':id/events')
  @HttpCode(200)
  async events(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string) {
    const events = await this.payments.events(merchant.id, id);
    if (!events) throw Refusal.notFound('payment', id);
    return { object: 'list', data: events.map(presentEvent), has_more: false };
  }
}
