import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Tree } from '#orchestration';
import { type Payment, UnitOfWorkRunner } from '#persistence';
import { requestContext } from '../../common/node-context.js';
import { GATEWAY_CONFIG, TREE } from '../../common/tokens.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { cardRetentionMs } from '../../vault/index.js';
import { PaymentsRepository } from '../persistence/payments.repository.js';
import { holdingAddress } from './holding-address.js';
import { SetupMethodOfPayment } from './setup-method.js';

const BATCH = 100;

/**
 * Saves the card of every approved payment that asked to (setup_future_usage) and was not saved yet.
 * A payment's own request saves it when the payment is approved there (or on the shopper's return);
 * this catches the ones that reconciliation or a provider notification settled. Each is saved once:
 * the payment row records it in the same statement, and a method recorded first by someone else wins.
 */
@Injectable()
export class SaveApprovedSetups {
  private readonly logger = new Logger('SaveApprovedSetups');

  constructor(
    @Inject(TREE) private readonly tree: Tree,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly payments: PaymentsRepository,
    private readonly setupMethod: SetupMethodOfPayment,
    private readonly runner: UnitOfWorkRunner,
  ) {}

  /** How many methods were saved. */
  async run(now = new Date()): Promise<number> {
    let saved = 0;
    // Older payments' cards are past the vault's retention: nothing is left to save of them.
    const since = new Date(now.getTime() - cardRetentionMs(this.config));
    for (const payment of await this.payments.approvedSetupsNotSaved(since, BATCH)) {
      const method = await this.setupMethod.afterwards(payment, payment.networkTransactionId ?? (await this.networkTransactionIdOf(payment)));
      if (!method) continue;
      if (await this.runner.commit(method.unit, `saved method of payment ${payment.id}`)) {
        saved += 1;
        this.logger.log(`payment ${payment.id}: saved its card as ${method.id} once it was approved`);
      }
    }
    return saved;
  }

  /**
   * A notification says a payment was approved, not the scheme's id of it: its holding leaf is asked.
   * Null when it cannot tell (the method is saved without it: off-session payments of it are refused
   * until it is set up again with the customer present).
   */
  private async networkTransactionIdOf(payment: Payment): Promise<string | null> {
    try {
      const status = await this.tree.root.status(holdingAddress(payment), requestContext(`setup-${payment.id}`, this.config.requestTimeoutMs));
      return status.state === 'approved' ? (status.networkTransactionId ?? null) : null;
    } catch (error) {
      this.logger.warn(`payment ${payment.id}: its leaf could not tell its network transaction id (${error instanceof Error ? error.message : String(error)})`);
      return null;
    }
  }
}
