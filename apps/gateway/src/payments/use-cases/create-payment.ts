import { Inject, Injectable } from '@nestjs/common';
import {
  attemptIdFor,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  isLuhnValid,
  maskCard,
} from '#gateway-spi';
import type { Tree } from '#orchestration';
import { type Attempt, type Payment, Prisma } from '#persistence';
import { type Cte, cte } from '../../common/fused-statement.js';
import { newId } from '../../common/ids.js';
import { GATEWAY_CONFIG, TREE } from '../../common/tokens.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { ApiError } from '../../errors/api-error.js';
import { CLAIMED, IdempotencyService, type IdempotencyScope, type StoredResponse } from '../../idempotency/idempotency.service.js';
import { requestContext } from '../../tree/node-context.js';
import { NodeStatsService } from '../../tree/node-stats.service.js';
import type { CreatePaymentDto } from '../dto/create-payment.dto.js';
import { eventWrites, type StatusChange } from '../payment-events.js';
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
      // Reconciliation takes it over only if this request never records its outcome (the process
      // stopped between the two commits): by then the request is long past its deadline.
      nextCheckAt: new Date(createdAt.getTime() + orphanAfterMs(this.config)),
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
      claim: { ctes: [insertPending(pending), ...eventWrites(pending, [{ from: null, to: 'pending' }], createdAt, PENDING)], mustAffect: [] },
      perform: async () => {
        const outcome = await this.tree.root.authorize(request, requestContext(traceId, this.config.requestTimeoutMs));
        this.stats.record(outcome.attempts);
        const updatedAt = new Date();
        const settled: Payment = { ...pending, nextCheckAt: null, ...settledFields(outcome, pending.capture, updatedAt), updatedAt };
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
          commit: {
            ctes: [
              updateSettled(settled),
              ...(attempts.length > 0 ? [insertAttempts(attempts)] : []),
              ...eventWrites(settled, statusChanges(settled.status as PaymentStatus, outcome), updatedAt),
            ],
            mustAffect: [SETTLED],
          },
        };
      },
    });
  }
}

/** How long after its creation a payment whose request never recorded an outcome is reconciled. */
export function orphanAfterMs(config: Pick<GatewayConfig, 'requestTimeoutMs'>): number {
  return config.requestTimeoutMs + 60_000;
}

const PENDING = 'pending_payment';
const SETTLED = 'settled_payment';

/** Inserts the payment `pending`, only when the idempotency key was claimed by this request. */
function insertPending(p: Payment): Cte {
  return cte(
    PENDING,
    Prisma.sql`
      INSERT INTO payments (id, merchant_id, status, amount, amount_captured, amount_refunded, currency, capture, method_type,
        card_brand, card_bin, card_last4, card_exp_month, card_exp_year, customer_country, description, metadata, next_check_at,
        created_at, updated_at)
      SELECT ${p.id}::text, ${p.merchantId}::text, ${p.status}::text, ${p.amount}::int, 0, 0, ${p.currency}::text, ${p.capture}::boolean,
        ${p.methodType}::text, ${p.cardBrand}::text, ${p.cardBin}::text, ${p.cardLast4}::text, ${p.cardExpMonth}::int, ${p.cardExpYear}::int,
        ${p.customerCountry}::text, ${p.description}::text, ${JSON.stringify(p.metadata)}::jsonb, ${p.nextCheckAt}::timestamp(3),
        ${p.createdAt}::timestamp(3), ${p.createdAt}::timestamp(3)
        FROM ${Prisma.raw(CLAIMED)}
      RETURNING id`,
  );
}

/**
 * Records the outcome on the payment row (no row read back), unless reconciliation settled it
 * first (this request outlived its deadline by far): then nothing of the commit is written.
 */
function updateSettled(p: Payment): Cte {
  return cte(
    SETTLED,
    Prisma.sql`
      UPDATE payments
         SET status = ${p.status}::text, amount_captured = ${p.amountCaptured}::int, route_path = ${p.routePath}::text,
             holding_attempt_id = ${p.holdingAttemptId}::text, provider_reference = ${p.providerReference}::text,
             decline_code = ${p.declineCode}::text, failure_message = ${p.failureMessage}::text,
             next_check_at = ${p.nextCheckAt}::timestamp(3), updated_at = ${p.updatedAt}::timestamp(3)
       WHERE id = ${p.id}::text AND status = 'pending' AND route_path IS NULL
      RETURNING id`,
  );
}

function insertAttempts(attempts: readonly Attempt[]): Cte {
  const rows = attempts.map(
    (a) => Prisma.sql`(${a.id}::text, ${a.paymentId}::text, ${a.seq}::int, ${a.path}::text, ${a.outcome}::text, ${a.code}::text,
      ${a.reason}::text, ${a.latencyMs}::int, ${a.providerReference}::text, ${a.createdAt}::timestamp(3))`,
  );
  return cte(
    'attempts_recorded',
    Prisma.sql`
      INSERT INTO attempts (id, payment_id, seq, path, outcome, code, reason, latency_ms, provider_reference, created_at)
      VALUES ${Prisma.join(rows)}
      RETURNING id`,
  );
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
