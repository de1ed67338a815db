import { Inject, Injectable, Logger } from '@nestjs/common';
import { combine, UnitOfWorkRunner } from '#persistence';
import { GATEWAY_CONFIG } from '../../common/tokens.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { cardRetentionMs } from '../../vault/index.js';
import { PaymentWrites, SAVED_METHOD_GATE } from '../persistence/payment-writes.js';
import { PaymentsRepository } from '../persistence/payments.repository.js';
import { SetupMethodOfPayment } from './setup-method.js';

const BATCH = 100;

/**
 * Saves the card of every approved payment that asked to (setup_future_usage) and has no saved
 * method yet. A payment's own request saves it when the payment is approved there (or on the
 * shopper's return); this catches the ones that reconciliation or a provider notification settled.
 * Each is saved once: the payment row records its method in the same statement, and a method
 * recorded first by someone else wins.
 */
@Injectable()
export class SaveApprovedSetups {
  private readonly logger = new Logger('SaveApprovedSetups');

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly writes: PaymentWrites,
    private readonly setupMethod: SetupMethodOfPayment,
    private readonly runner: UnitOfWorkRunner,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** How many methods were saved. */
  async run(now = new Date()): Promise<number> {
    let saved = 0;
    // Older payments' cards are past the vault's retention: nothing is left to save of them.
    const since = new Date(now.getTime() - cardRetentionMs(this.config));
    for (const payment of await this.payments.approvedSetupsWithoutMethod(since, BATCH)) {
      const method = await this.setupMethod.of(payment, payment.networkTransactionId, null, SAVED_METHOD_GATE);
      if (!method) continue;
      const unit = combine(this.writes.recordSavedMethod(payment.id, method.id, payment.networkTransactionId), method.unit);
      if (await this.runner.commit(unit, `saved method of payment ${payment.id}`)) {
        saved += 1;
        this.logger.log(`payment ${payment.id}: saved its card as ${method.id} once it was approved`);
      }
    }
    return saved;
  }
}
