import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/index.js';
import { PaymentsModule } from '../payments/index.js';
import { PendingClaims } from './persistence/pending-claims.repository.js';
import { SettlementWrites } from './persistence/settlement-writes.js';
import { ReconcilePending } from './reconcile-pending.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationJob } from './reconciliation.job.js';

/**
 * Settles what the tree left unknown: pending payments (orphans included), unanswered captures and
 * voids, pending refunds. In the background (ReconciliationJob) and on demand (`POST /v1/ops/reconcile`).
 */
@Module({
  imports: [PaymentsModule, IdempotencyModule],
  controllers: [ReconciliationController],
  providers: [PendingClaims, SettlementWrites, ReconcilePending, ReconciliationJob],
})
export class ReconciliationModule {}
