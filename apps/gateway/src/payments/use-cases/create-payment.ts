import { Inject, Injectable } from '@nestjs/common';
import {
  attemptIdFor,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  isLuhnValid,
  maskCard,
} from '#gateway-spi';
import type { Tree } from '#orchestration';
import type { Payment } from '#persistence';
import { newId } from '../../common/ids.js';
import { GATEWAY_CONFIG, TREE } from '../../common/tokens.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { ApiError } from '../../errors/api-error.js';
import { IdempotencyService, type IdempotencyScope, type StoredResponse } from '../../idempotency/idempotency.service.js';
import { requestContext } from '../../tree/node-context.js';
import { NodeStatsService } from '../../tree/node-stats.service.js';
import type { CreatePaymentDto } from '../dto/create-payment.dto.js';
import { recordEvents, type StatusChange } from '../payment-events.js';
import { presentPayment } from '../payment.presenter.js';
import type { PaymentStatus } from '../payment-status.js';

/**
 * Creates a payment: claims the key and records the payment `pending` (commit 1), asks the tree to
 * authorize, then records the outcome, its attempts and events with the stored response (commit 2).
 */
@Injectable()
export class CreatePayment {
  constructor(
    @Inject(TREE) private readonly tree: Tree,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly idempotency: IdempotencyService,
    private readonly stats: NodeStatsService,
  ) {}

  async execute(merchantId: string, dto: CreatePaymentDto, scope: IdempotencyScope, traceId: string): Promise<StoredResponse> {
    const card = dto.payment_method.card;
    if (!isLuhnValid(card.number)) {
      throw ApiError.invalid('invalid_card_number', 'The card number is not a valid card number.', 'payment_method.card.number');
    }
    const display = maskCard({ number: card.number, expMonth: card.exp_month, expYear: card.exp_year });
    const paymentId = newId('pay');
    const createdAt = new Date();
    const pending: Payment = {
      id: paymentId,
      merchantId,
      status: 'pending',
      amount: dto.amount,
      amountCaptured: 0,
      amountRefunded: 0,
      currency: dto.currency.toUpperCase(),
      capture: dto.capture ?? true,
      methodType: 'card',
      cardBrand: display.brand,
      cardBin: display.bin,
      cardLast4: display.last4,
      cardExpMonth: display.expMonth,
      cardExpYear: display.expYear,
      customerCountry: dto.customer?.country ?? null,
      description: dto.description ?? null,
      metadata: dto.metadata ?? {},
      declineCode: null,
      failureMessage: null,
      routePath: null,
      holdingAttemptId: null,
      providerReference: null,
      operationInFlight: null,
      operationStartedAt: null,
      nextCheckAt: null,
      checkCount: 0,
      checkLeaseUntil: null,
      createdAt,
      updatedAt: createdAt,
    };
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
        card: { number: card.number, expMonth: card.exp_month, expYear: card.exp_year, cvc: card.cvc },
        display,
      },
      customerCountry: pending.customerCountry ?? undefined,
      metadata: dto.metadata ?? {},
    };

    return this.idempotency.execute(scope, paymentId, {
      claim: async (tx) => {
        await tx.payment.create({ data: { ...pending, metadata: pending.metadata as object } });
        await recordEvents(tx, pending, [{ from: null, to: 'pending' }], createdAt);
      },
      perform: async () => {
        const outcome = await this.tree.root.authorize(request, requestContext(traceId, this.config.requestTimeoutMs));
        this.stats.record(outcome.attempts);
        const updatedAt = new Date();
        const settled: Payment = { ...pending, ...settledFields(outcome, pending.capture, updatedAt), updatedAt };
        const attempts = outcome.attempts.map((attempt) => ({
          id: attempt.attemptId,
          paymentId,
          seq: attempt.attemptSeq,
          path: attempt.path.join('/'),
          outcome: attempt.outcome,
          code: attempt.code,
          reason: attempt.reason,
          latencyMs: Math.round(attempt.latencyMs),
          providerReference: attempt.providerReference,
          createdAt: updatedAt,
        }));
        return {
          kind: 'respond',
          status: 201,
          body: presentPayment(settled, attempts),
          commit: async (tx) => {
            const { id, merchantId: _m, createdAt: _c, metadata: _md, ...changes } = settled;
            const { count } = await tx.payment.updateMany({ where: { id }, data: changes }); // no row read back
            if (count !== 1) throw new Error(`payment ${id} vanished before its outcome was recorded`);
            if (attempts.length > 0) await tx.attempt.createMany({ data: attempts });
            await recordEvents(tx, settled, statusChanges(settled.status as PaymentStatus, outcome), updatedAt);
          },
        };
      },
    });
  }
}

function settledFields(outcome: AuthorizeOutcome, captureNow: boolean, at: Date): Partial<Payment> {
  const holdingAttempt = outcome.attempts.at(-1);
  const route = {
    routePath: outcome.path.length > 0 ? outcome.path.join('/') : null,
    holdingAttemptId: holdingAttempt?.attemptId ?? null,
    providerReference: outcome.providerReference,
  };
  switch (outcome.outcome) {
    case 'approved':
      return captureNow
        ? { ...route, status: 'captured', amountCaptured: outcome.amountCaptured }
        : { ...route, status: 'authorized' };
    case 'declined':
      return { ...route, status: 'declined', declineCode: outcome.code, failureMessage: outcome.message };
    case 'failed':
      return { ...route, status: 'failed', declineCode: outcome.code, failureMessage: outcome.message };
    case 'unknown':
      return {
        ...route,
        status: 'pending',
        declineCode: null,
        failureMessage: `The provider did not confirm the outcome (${outcome.code ?? 'unknown'}); reconciliation will settle this payment.`,
        // Scheduled for the reconciler only now that the route is recorded (its status inquiry needs it).
        nextCheckAt: at,
      };
  }
}

function statusChanges(status: PaymentStatus, outcome: AuthorizeOutcome): StatusChange[] {
  const data = { route_path: outcome.path.join('/'), code: outcome.code };
  if (status === 'pending') return [];
  if (status === 'captured') {
    return [
      { from: 'pending', to: 'authorized', data },
      { from: 'authorized', to: 'captured', data: { ...data, amount: outcome.amountCaptured } },
    ];
  }
  return [{ from: 'pending', to: status, data }];
}
