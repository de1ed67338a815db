import { Inject, Injectable } from '@nestjs/common';
import { attemptIdFor, type AuthorizeRequest } from '#gateway-spi';
import type { Tree } from '#orchestration';
import { combine, type Payment } from '#persistence';
import { newId } from '../../common/ids.js';
import { inRequestContext } from '../../common/node-context.js';
import { addTreeTime } from '../../common/server-timing.js';
import { Refusal } from '../../common/refusal.js';
import { GATEWAY_CONFIG, TREE } from '../../common/tokens.js';
import { DEFAULT_ACTION_TIMEOUT_MS, type GatewayConfig, publicBaseUrl } from '../../config/gateway-config.js';
import { CLAIMED } from '../../idempotency/index.js';
import { NodeStatsService } from '../../metrics/index.js';
import { attemptRows, settledFields, statusChanges } from '../domain/authorization-outcome.js';
import type { CreatePaymentCommand } from '../domain/commands.js';
import { orphanAfterMs } from '../domain/orphan-schedule.js';
import type { PaymentStatus } from '../domain/payment-status.js';
import { PaymentWrites } from '../persistence/payment-writes.js';
import type { PaymentWithAttempts } from '../domain/payment.js';
import { PlanCharge } from './charge-plan.js';
import { SetupMethodOfPayment } from './setup-method.js';

/**
 * Creates a payment: resolves what it charges (a card, a token, a saved method), claims the key and
 * records the payment `pending` (commit 1, with the token used up or the card sealed to be saved),
 * asks the tree to authorize, then records the outcome, its attempts and events with the stored
 * answer (commit 2, with the saved method when the payment saves one and was approved).
 */
@Injectable()
export class CreatePayment {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly writes: PaymentWrites,
    private readonly stats: NodeStatsService,
    private readonly planCharge: PlanCharge,
    private readonly setupMethod: SetupMethodOfPayment,
  ) {}

  async execute(command: CreatePaymentCommand): Promise<PaymentWithAttempts | Refusal> {
    const { merchantId } = command;
    // A retry of a payment of a token or a saved method is replayed before anything is checked or
    // decrypted: its token is used up, its method may be detached since.
    if (command.source.kind === 'reference') await command.key.replayIfClaimed();
    const plan = await this.planCharge.execute(command);
    if (plan instanceof Refusal) {
      // The first try may have claimed the key meanwhile (a retry racing it): replayed, not refused.
      await command.key.replayIfClaimed();
      return plan;
    }
    const { card, display } = plan;
    const paymentId = newId('pay');
    const createdAt = new Date();
    const pending: Payment = {
      id: paymentId,
      merchantId,
      status: 'pending',
      amount: command.amount,
      amountCaptured: 0,
      amountRefunded: 0,
      currency: command.currency.toUpperCase(),
      capture: command.capture,
      methodType: 'card',
      cardBrand: display.brand,
      cardBin: display.bin,
      cardLast4: display.last4,
      cardExpMonth: display.expMonth,
      cardExpYear: display.expYear,
      customerCountry: command.customerCountry,
      description: command.description,
      metadata: command.metadata,
      declineCode: null,
      failureMessage: null,
      routePath: null,
      holdingAttemptId: null,
      providerReference: null,
      operationInFlight: null,
      operationStartedAt: null,
      operationAmount: null,
      operationAcceptedAt: null,
      returnUrl: command.returnUrl,
      nextActionUrl: null,
      actionExpiresAt: null,
      customerId: plan.customerId,
      paymentMethodId: plan.paymentMethodId,
      vaultCardId: plan.vaultCard?.id ?? null,
      setupFutureUsage: command.setupFutureUsage ? 'off_session' : null,
      initiator: plan.initiator,
      networkTransactionId: null,
      setupSavedAt: null,
      // Reconciliation takes it over only if this request never records its outcome.
      nextCheckAt: new Date(createdAt.getTime() + orphanAfterMs(this.config)),
      checkCount: 0,
      checkLeaseUntil: null,
      createdAt,
      updatedAt: createdAt,
    };
    const refused = await command.key.claim(paymentId, combine({ writes: this.writes.recordPending(pending, CLAIMED) }, { writes: plan.claimWrites }));
    if (refused) return refused;

    const request: AuthorizeRequest = {
      paymentId,
      attemptId: attemptIdFor(paymentId, 1),
      attemptSeq: 1,
      merchantId,
      amount: pending.amount,
      currency: pending.currency,
      capture: pending.capture,
      paymentMethod: {
        type: 'card',
        card: { number: card.number, expMonth: card.expMonth, expYear: card.expYear, cvc: plan.takeCvc() },
        display,
      },
      customerCountry: pending.customerCountry ?? undefined,
      metadata: command.metadata,
      // Only a payment whose shopper can be sent back somewhere may be asked to authenticate.
      ...(command.returnUrl !== null && { returnUrl: returnEndpointOf(this.config, paymentId) }),
      ...(plan.initiator === 'merchant' && { initiator: 'merchant' }),
      ...(plan.storedCredential && { storedCredential: plan.storedCredential }),
      ...(command.cascadeOptIn && { cascadeOptIn: true }),
    };

    const treeStartedAt = performance.now();
    const outcome = await inRequestContext(command, this.config.requestTimeoutMs, (ctx) => this.tree.root.authorize(request, ctx));
    addTreeTime(command.treeTime, treeStartedAt);
    this.stats.record(outcome.attempts);
    const updatedAt = new Date();
    const fields = settledFields(outcome, pending.capture, updatedAt, this.config.actionTimeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS);
    const networkTransactionId = outcome.networkTransactionId ?? null;
    const saved = outcome.outcome === 'approved' && command.setupFutureUsage ? this.setupMethod.inOutcome(pending, networkTransactionId, plan.vaultCard) : undefined;
    const settled: Payment = {
      ...pending,
      nextCheckAt: null,
      ...fields,
      networkTransactionId,
      ...(saved && { paymentMethodId: saved.id, setupSavedAt: updatedAt }),
      updatedAt,
    };
    const attempts = attemptRows(paymentId, outcome, updatedAt);
    const recorded = { ...settled, attempts };
    const outcomeWrites = this.writes.recordOutcome(settled, attempts, statusChanges(settled.status as PaymentStatus, outcome));
    await command.key.complete(saved ? combine(outcomeWrites, saved.unit) : outcomeWrites, recorded);
    return recorded;
  }
}

/** Where providers send the shopper of `paymentId` back to: the return endpoint, which completes the payment. */
export function returnEndpointOf(config: GatewayConfig, paymentId: string): string {
  return `${publicBaseUrl(config)}/v1/payments/${paymentId}/return`;
}
