import { Injectable } from '@nestjs/common';
import { MetricsService } from '../metrics/index.js';
import { PaymentsRepository } from './persistence/payments.repository.js';
import { RefundsRepository } from './persistence/refunds.repository.js';

/** The payment gauges of /metrics, counted in the shared database at scrape time. */
@Injectable()
export class PaymentGauges {
  constructor(metrics: MetricsService, payments: PaymentsRepository, refunds: RefundsRepository) {
    metrics.registerDatabaseGauge('canopy_payments_pending', 'Payments whose outcome is not known yet (pending), across the shared database.', () =>
      payments.countPending(),
    );
    metrics.registerDatabaseGauge(
      'canopy_payments_unresolved_operations',
      'Authorized payments whose capture or void went unanswered, waiting for a retry or reconciliation.',
      () => payments.countUnresolvedOperations(),
    );
    metrics.registerDatabaseGauge('canopy_payments_requires_action', 'Payments waiting for their shopper to authenticate, across the shared database.', () =>
      payments.countRequiringAction(),
    );
    metrics.registerDatabaseGauge(
      'canopy_payments_awaiting_confirmation',
      'Payments whose capture or void their provider accepted and has not confirmed by notification yet, across the shared database.',
      () => payments.countAwaitingConfirmation(),
    );
    metrics.registerDatabaseGauge(
      'canopy_refunds_awaiting_confirmation',
      'Refunds their provider accepted and has not confirmed by notification yet, across the shared database.',
      () => refunds.countAwaitingConfirmation(),
    );
  }
}
