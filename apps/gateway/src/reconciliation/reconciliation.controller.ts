import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuthGuard } from '../auth/index.js';
import { ApiAdminAuth } from '../docs/api-docs.decorators.js';
import { SaveApprovedSetups } from '../payments/index.js';
import { ReconcilePending } from './reconcile-pending.js';
import { ReconciliationResponse } from './reconciliation.responses.js';

@ApiTags('ops')
@ApiAdminAuth()
@Controller('v1/ops')
@UseGuards(AdminAuthGuard)
export class ReconciliationController {
  constructor(
    private readonly reconcile: ReconcilePending,
    private readonly setups: SaveApprovedSetups,
  ) {}

  /** Settles every pending payment and refund it can now, whatever their schedule, and says what changed. */
  @ApiOperation({
    summary: 'Reconcile pending payments now',
    description: 'Asks the holding leaf of every pending payment for its status (and re-drives pending refunds); settles each once.',
  })
  @ApiOkResponse({ type: ReconciliationResponse })
  @Post('reconcile')
  @HttpCode(200)
  async reconcileNow() {
    const report = await this.reconcile.run({ force: true });
    const savedMethods = await this.setups.run();
    return {
      object: 'reconciliation',
      settled: report.settled.map((s) => ({ payment_id: s.paymentId, from: s.from, to: s.to })),
      still_pending: report.stillPending,
      refunds_settled: report.refundsSettled.map((s) => ({ refund_id: s.refundId, payment_id: s.paymentId, from: s.from, to: s.to })),
      refunds_still_pending: report.refundsStillPending,
      payment_methods_saved: savedMethods,
    };
  }
}
