import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Refusal } from '../../common/refusal.js';
import { SERVER_TIMING_HEADER, ServerTimed } from '../../common/server-timing.js';
import { requestTraceOf } from '../../logging/request-trace.js';
import { CompleteAction } from '../use-cases/complete-action.js';

/**
 * Where providers send the shopper back after authenticating (the `returnUrl` the leaf got). No API
 * key: the shopper's browser has none. The payment is completed at its holding leaf with what came
 * back (query and form fields), then the shopper goes on to the merchant's `return_url`.
 */
@ApiTags('payments')
@Controller('v1/payments')
export class ShopperReturnController {
  constructor(private readonly completeAction: CompleteAction) {}

  @ApiOperation({
    summary: "The shopper's return from authenticating (providers redirect here)",
    description:
      "Completes the payment at its holding leaf, then redirects (303) to the merchant's `return_url` with `payment_id` and `status` " +
      'added to its query (informational: fetch the payment to act on it).',
  })
  @ApiParam({ name: 'id', description: 'A payment id (`pay_…`).' })
  @ApiResponse({ status: 303, description: "To the merchant's return_url.", headers: SERVER_TIMING_HEADER })
  @Get(':id/return')
  @ServerTimed('complete')
  returnByGet(@Param('id') id: string, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.shopperIsBack(id, stringFields(query), request, reply);
  }

  @ApiOperation({ summary: "The shopper's return from authenticating, as a form post (providers that return with POST)" })
  @ApiParam({ name: 'id', description: 'A payment id (`pay_…`).' })
  @ApiResponse({ status: 303, description: "To the merchant's return_url.", headers: SERVER_TIMING_HEADER })
  @Post(':id/return')
  @ServerTimed('complete')
  returnByPost(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.shopperIsBack(id, { ...stringFields(query), ...stringFields(body) }, request, reply);
  }

  private async shopperIsBack(id: string, returnData: Record<string, string>, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const payment = await this.completeAction.execute({ paymentId: id, ...requestTraceOf(request), treeTime: request, returnData });
    if (payment instanceof Refusal) throw payment;
    if (!payment.returnUrl) {
      await reply.status(200).type('text/html; charset=utf-8').send(`<!doctype html><title>Done</title><p>Payment ${payment.id} is ${payment.status}. You may close this window.</p>`);
      return;
    }
    const target = new URL(payment.returnUrl);
    target.searchParams.set('payment_id', payment.id);
    target.searchParams.set('status', payment.status);
    await reply.status(303).header('location', target.toString()).header('cache-control', 'no-store').send();
  }
}

/** The string fields of a parsed query or form body (repeated fields: the first). */
function stringFields(input: unknown): Record<string, string> {
  if (typeof input !== 'object' || input === null) return {};
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') fields[name] = first;
  }
  return fields;
}
