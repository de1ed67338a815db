import { Injectable } from '@nestjs/common';
import { type Attempt, type Payment, part, Prisma, step, type StatementPart, type Transaction, type UnitOfWork, writeParts } from '#persistence';
import type { PaymentResolution, ResolvedBy } from '../domain/payment-resolution.js';
import type { StatusChange } from '../domain/payment-status.js';
import { PaymentEventLog } from './payment-event-log.js';
import { type LockedPayment, lockPayment } from './payment-lock.js';
import { settleUndecided } from './settle-undecided.js';

const PENDING = 'pending_payment';
/** The part that records a saved method on its payment; the method's own write reads it. */
export const SAVED_METHOD_GATE = 'payment_saved_method';
const SETTLED = 'settled_payment';

/** First check of an unanswered operation: long enough for the provider to have finished it. */
export const UNRESOLVED_FIRST_CHECK_MS = 10_000;

/**
 * First check of an operation the provider accepted and confirms by notification: the notification
 * usually comes first; reconciliation asks the provider only if it did not.
 */
export const ACCEPTED_FIRST_CHECK_MS = 10 * 60_000;

/** The writes of a payment's state changes, as units of work (see `#persistence`'s unit-of-work.ts). */
@Injectable()
export class PaymentWrites {
  constructor(private readonly events: PaymentEventLog) {}

  /**
   * The payment `pending` and its `payment.created` event, written only if the part `gate` (the
   * claim of the request's idempotency key) returned a row.
   */
  recordPending(payment: Payment, gate: string): StatementPart[] {
    return [insertPending(payment, gate), ...this.events.parts(payment, [{ from: null, to: 'pending' }], payment.createdAt, PENDING)];
  }

  /**
   * The outcome of the payment's authorization with its attempts and events; nothing is written if
   * reconciliation settled the payment first (its request outlived its deadline by far).
   */
  recordOutcome(payment: Payment, attempts: readonly Attempt[], changes: readonly StatusChange[]): UnitOfWork {
    return {
      writes: [
        updateSettled(payment),
        ...(attempts.length > 0 ? [insertAttempts(attempts)] : []),
        ...this.events.parts(payment, changes, payment.updatedAt),
      ],
      required: [SETTLED],
    };
  }

  /**
   * Marks `operation` running on the payment, under its row lock, once `decide` (which may refuse
   * by throwing) has seen the locked row. A running operation is nobody's to reconcile.
   */
  startOperation(paymentId: string, operation: string, decide: (locked: LockedPayment) => void): UnitOfWork {
    return {
      writes: [
        step(async (tx) => {
          decide(await lockPayment(tx, paymentId));
          await markOperation(tx, paymentId, operation);
        }),
      ],
    };
  }

  /** The provider refused the operation: it is cleared and the payment stays as it was. */
  clearOperation(paymentId: string): UnitOfWork {
    return { writes: [step((tx) => markOperation(tx, paymentId, null))] };
  }

  /**
   * The provider did not answer the operation: it stays marked (no other operation may start) and
   * is scheduled for reconciliation, which asks the holding leaf whether it applied. A retry of the
   * same operation may re-drive it meanwhile: its provider idempotency key is the same.
   */
  leaveOperationUnresolved(paymentId: string, at: Date): UnitOfWork {
    return {
      writes: [
        step(async (tx) => {
          await tx.payment.update({ where: { id: paymentId }, data: { nextCheckAt: new Date(at.getTime() + UNRESOLVED_FIRST_CHECK_MS) } });
        }),
      ],
    };
  }

  /**
   * The provider accepted the operation and confirms it later: the payment is `pending` until a
   * notification (or reconciliation) settles it; the operation stays marked, so no other may start.
   */
  leaveOperationAccepted(payment: Payment, change: StatusChange): UnitOfWork {
    const { operationAmount, operationAcceptedAt, updatedAt, nextCheckAt } = payment;
    return {
      writes: [
        step(async (tx) => {
          await tx.payment.update({ where: { id: payment.id }, data: { status: 'pending', operationAmount, operationAcceptedAt, nextCheckAt, updatedAt } });
          await writeParts(tx, this.events.parts(payment, [change], updatedAt), `events of payment ${payment.id}`);
        }),
      ],
    };
  }

  /** A payment that waited for its shopper, settled as its leaf says; nothing is written (false) if someone settled it first. */
  settleAction(
    payment: { id: string; merchantId: string; holdingAttemptId: string },
    resolution: PaymentResolution,
    by: ResolvedBy,
    at: Date,
  ): UnitOfWork {
    return {
      writes: [
        step(async (tx) => {
          if (!(await settleUndecided(tx, this.events, { ...payment, from: 'requires_action' }, resolution, by, at))) return false;
        }),
      ],
    };
  }

  /**
   * The method the payment saved (setup_future_usage) and the scheme's id of the payment, on its row,
   * once, and only if the part `cardKept` kept its card in the vault; its part is the unit's gate
   * (`SAVED_METHOD_GATE`): it returns no row when the card is gone or the payment's method was
   * recorded first, and then the method itself is not written either.
   */
  recordSavedMethod(paymentId: string, paymentMethodId: string, networkTransactionId: string | null, cardKept: string): UnitOfWork {
    return {
      writes: [
        part(
          SAVED_METHOD_GATE,
          Prisma.sql`
            UPDATE payments
               SET payment_method_id = ${paymentMethodId}::text, setup_saved_at = now(),
                   network_transaction_id = COALESCE(${networkTransactionId}::text, network_transaction_id)
             WHERE id = ${paymentId}::text AND setup_saved_at IS NULL
               AND (payment_method_id IS NULL OR payment_method_id = ${paymentMethodId}::text)
               AND EXISTS (SELECT 1 FROM ${Prisma.raw(cardKept)})
            RETURNING id`,
        ),
      ],
      gate: SAVED_METHOD_GATE,
    };
  }

  /** The operation applied: the payment's new state and its event. */
  recordSettled(payment: Payment, change: StatusChange): UnitOfWork {
    const { status, amountCaptured, operationInFlight, operationStartedAt, updatedAt } = payment;
    return {
      writes: [
        step(async (tx) => {
          await tx.payment.update({
            where: { id: payment.id },
            data: { status, amountCaptured, operationInFlight, operationStartedAt, operationAmount: null, operationAcceptedAt: null, updatedAt },
          });
          await writeParts(tx, this.events.parts(payment, [change], updatedAt), `events of payment ${payment.id}`);
        }),
      ],
    };
  }
}

/** The payment's fields once no operation is in flight any more, and nobody is to check it. */
export function operationCleared(at: Date) {
  return { operationInFlight: null, operationStartedAt: null, operationAmount: null, operationAcceptedAt: null, nextCheckAt: null, checkLeaseUntil: null, updatedAt: at };
}

async function markOperation(tx: Transaction, paymentId: string, operation: string | null): Promise<void> {
  await tx.payment.update({
    where: { id: paymentId },
    data: {
      operationInFlight: operation,
      operationStartedAt: operation ? new Date() : null,
      operationAmount: null,
      operationAcceptedAt: null,
      nextCheckAt: null,
      checkCount: 0,
    },
  });
}

/** Inserts the payment `pending`, only when the idempotency key was claimed by this request. */
function insertPending(p: Payment, gate: string): StatementPart {
  return part(
    PENDING,
    Prisma.sql`
      INSERT INTO payments (id, merchant_id, status, amount, amount_captured, amount_refunded, currency, capture, method_type,
        card_brand, card_bin, card_last4, card_exp_month, card_exp_year, customer_country, description, metadata, next_check_at,
        return_url, customer_id, payment_method_id, vault_card_id, setup_future_usage, initiator, created_at, updated_at)
      SELECT ${p.id}::text, ${p.merchantId}::text, ${p.status}::text, ${p.amount}::int, 0, 0, ${p.currency}::text, ${p.capture}::boolean,
        ${p.methodType}::text, ${p.cardBrand}::text, ${p.cardBin}::text, ${p.cardLast4}::text, ${p.cardExpMonth}::int, ${p.cardExpYear}::int,
        ${p.customerCountry}::text, ${p.description}::text, ${JSON.stringify(p.metadata)}::jsonb, ${p.nextCheckAt}::timestamp(3),
        ${p.returnUrl}::text, ${p.customerId}::text, ${p.paymentMethodId}::text, ${p.vaultCardId}::text, ${p.setupFutureUsage}::text,
        ${p.initiator}::text, ${p.createdAt}::timestamp(3), ${p.createdAt}::timestamp(3)
        FROM ${Prisma.raw(gate)}
      RETURNING id`,
  );
}

/** Records the outcome on the payment row (no row read back), only while it is pending without a route. */
function updateSettled(p: Payment): StatementPart {
  return part(
    SETTLED,
    Prisma.sql`
      UPDATE payments
         SET status = ${p.status}::text, amount_captured = ${p.amountCaptured}::int, route_path = ${p.routePath}::text,
             holding_attempt_id = ${p.holdingAttemptId}::text, provider_reference = ${p.providerReference}::text,
             decline_code = ${p.declineCode}::text, failure_message = ${p.failureMessage}::text,
             next_action_url = ${p.nextActionUrl}::text, action_expires_at = ${p.actionExpiresAt}::timestamp(3),
             next_check_at = ${p.nextCheckAt}::timestamp(3), network_transaction_id = ${p.networkTransactionId}::text,
             payment_method_id = ${p.paymentMethodId}::text, setup_saved_at = ${p.setupSavedAt}::timestamp(3),
             updated_at = ${p.updatedAt}::timestamp(3)
       WHERE id = ${p.id}::text AND status = 'pending' AND route_path IS NULL
      RETURNING id`,
  );
}

function insertAttempts(attempts: readonly Attempt[]): StatementPart {
  const rows = attempts.map(
    (a) => Prisma.sql`(${a.id}::text, ${a.paymentId}::text, ${a.seq}::int, ${a.path}::text, ${a.outcome}::text, ${a.code}::text,
      ${a.reason}::text, ${a.latencyMs}::int, ${a.providerReference}::text, ${a.createdAt}::timestamp(3))`,
  );
  return part(
    'attempts_recorded',
    Prisma.sql`
      INSERT INTO attempts (id, payment_id, seq, path, outcome, code, reason, latency_ms, provider_reference, created_at)
      VALUES ${Prisma.join(rows)}
      RETURNING id`,
  );
}
