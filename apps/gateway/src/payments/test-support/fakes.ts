/**
 * Fakes of the payment use cases' seams, for their unit tests: the tree, the config, the node
 * stats, the request's idempotency key, and the repositories (reads and units of work). No
 * database: a unit of work a fake returns is a labelled marker, except the transaction steps that
 * decide (startOperation, reserve), which run the use case's `decide` against a row the test sets.
 */
import { vi } from 'vitest';
import type { AuthorizeOutcome, AuthorizeRequest, CaptureRequest, NodeContext, OperationOutcome, RefundRequest, VoidRequest } from '#gateway-spi';
import type { Tree } from '#orchestration';
import { type Payment, part, Prisma, type Refund, step, type Transaction, type UnitOfWork } from '#persistence';
import { Refusal } from '../../common/refusal.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import type { IdempotencyKey } from '../../idempotency/index.js';
import type { NodeStatsService } from '../../metrics/index.js';
import type { PaymentStatus, StatusChange } from '../domain/payment-status.js';
import type { LockedPayment } from '../persistence/payment-lock.js';
import type { PaymentWrites } from '../persistence/payment-writes.js';
import type { PaymentWithAttempts } from '../domain/payment.js';
import type { PaymentsRepository } from '../persistence/payments.repository.js';
import type { RefundableFacts, RefundsRepository } from '../persistence/refunds.repository.js';

export const CONFIG = { requestTimeoutMs: 5000 } as GatewayConfig;
export const MERCHANT = 'mer_test';
export const TRACE = 'trace-1';

/** The tree's root, each money operation a mock the test answers. */
export function fakeTree() {
  const root = {
    authorize: vi.fn<(request: AuthorizeRequest, ctx: NodeContext) => Promise<AuthorizeOutcome>>(),
    capture: vi.fn<(request: CaptureRequest, ctx: NodeContext) => Promise<OperationOutcome>>(),
    void: vi.fn<(request: VoidRequest, ctx: NodeContext) => Promise<OperationOutcome>>(),
    refund: vi.fn<(request: RefundRequest, ctx: NodeContext) => Promise<OperationOutcome>>(),
  };
  return { root, tree: { root } as unknown as Tree };
}

export function fakeStats() {
  const record = vi.fn<NodeStatsService['record']>();
  return { record, stats: { record } as unknown as NodeStatsService };
}

/** What the fake key throws when the key is taken: the HTTP layer would replay, the use case never resumes. */
export class KeyTakenByAnotherRequest extends Error {}

/**
 * The request's idempotency key, recording its steps. A claim runs the unit's transaction steps
 * (as IdempotencyKeys' runner would, with no database): a step's refusal comes back as the result.
 */
export class FakeKey<Result> implements IdempotencyKey<Result> {
  readonly claims: { resourceId: string; unit: UnitOfWork }[] = [];
  readonly completions: { unit: UnitOfWork; result: Result }[] = [];
  readonly releases: UnitOfWork[] = [];
  /** Another request claimed the key first. */
  taken = false;

  async claim(resourceId: string, unit: UnitOfWork): Promise<Refusal | undefined> {
    this.claims.push({ resourceId, unit });
    if (this.taken) throw new KeyTakenByAnotherRequest();
    try {
      for (const write of unit.writes) if ('run' in write) await write.run({} as Transaction);
    } catch (error) {
      if (error instanceof Refusal) return error;
      throw error;
    }
    return undefined;
  }

  async complete(unit: UnitOfWork, result: Result): Promise<void> {
    this.completions.push({ unit, result });
  }

  async release(unit: UnitOfWork): Promise<void> {
    this.releases.push(unit);
  }

  /** These tests start from free keys. */
  async replayIfClaimed(): Promise<void> {}
}

/** A unit of work that only says which write built it (never committed in these tests). */
function marker(label: string): UnitOfWork {
  return { writes: [part(label, Prisma.empty)] };
}

/** The payments' units of work; `locked` is the row `startOperation`'s lock reads. */
export class FakePaymentWrites {
  locked: LockedPayment = lockedPayment();

  readonly recordPending = vi.fn((_payment: Payment, _gate: string) => marker('recordPending').writes);
  readonly recordOutcome = vi.fn((_payment: Payment, _attempts: unknown[], _changes: readonly StatusChange[]) => marker('recordOutcome'));
  readonly startOperation = vi.fn(
    (_paymentId: string, _operation: string, decide: (locked: LockedPayment) => void): UnitOfWork => ({
      writes: [step(async () => decide(this.locked))],
    }),
  );
  readonly clearOperation = vi.fn((_paymentId: string) => marker('clearOperation'));
  readonly leaveOperationUnresolved = vi.fn((_paymentId: string, _at: Date) => marker('leaveOperationUnresolved'));
  readonly recordSettled = vi.fn((_payment: Payment, _change: StatusChange) => marker('recordSettled'));
  readonly leaveOperationAccepted = vi.fn((_payment: Payment, _change: StatusChange) => marker('leaveOperationAccepted'));

  get writes(): PaymentWrites {
    return this as unknown as PaymentWrites;
  }
}

/** The refunds' units of work; `facts` is what `reserve`'s lock reads, `reservedAmount` what `decide` answered. */
export class FakeRefunds {
  facts: RefundableFacts = { payment: lockedPayment({ status: 'captured', amountCaptured: 1000 }), reserved: 0 };
  reservedAmount: number | undefined;

  readonly reserve = vi.fn(
    (_refund: Omit<Refund, 'amount'>, decide: (facts: RefundableFacts) => number): UnitOfWork => ({
      writes: [step(async () => void (this.reservedAmount = decide(this.facts)))],
    }),
  );
  readonly recordOutcome = vi.fn((_refund: Refund) => marker('recordOutcome'));

  get repository(): RefundsRepository {
    return this as unknown as RefundsRepository;
  }
}

/** The payments' reads, answering `payment` (null: the merchant has no such payment). */
export function fakePayments(payment: PaymentWithAttempts | null) {
  const findOwned = vi.fn(async (_merchantId: string, _paymentId: string) => payment);
  const findOwnedWithAttempts = vi.fn(async (_merchantId: string, _paymentId: string) => payment);
  const countEvents = vi.fn(async (_paymentId: string, _type: string) => 0);
  return { findOwned, findOwnedWithAttempts, countEvents, repository: { findOwned, findOwnedWithAttempts, countEvents } as unknown as PaymentsRepository };
}

export function lockedPayment(overrides: Partial<LockedPayment> = {}): LockedPayment {
  return {
    id: 'pay_abc',
    status: 'authorized',
    amount: 1000,
    amountCaptured: 0,
    amountRefunded: 0,
    operationInFlight: null,
    operationUnresolved: false,
    checkLeased: false,
    ...overrides,
  };
}

/** A payment the tree authorized at root/eu/sim-alpha (attempt `att_abc_1`), as read back. */
export function storedPayment(status: PaymentStatus, overrides: Partial<PaymentWithAttempts> = {}): PaymentWithAttempts {
  const at = new Date('2020-01-01T00:00:00.000Z');
  return {
    id: 'pay_abc',
    merchantId: MERCHANT,
    status,
    amount: 1000,
    amountCaptured: status === 'captured' ? 1000 : 0,
    amountRefunded: 0,
    currency: 'EUR',
    capture: status === 'captured',
    methodType: 'card',
    cardBrand: 'visa',
    cardBin: '424242',
    cardLast4: '4242',
    cardExpMonth: 12,
    cardExpYear: 2030,
    customerCountry: 'FR',
    description: null,
    metadata: {},
    declineCode: null,
    failureMessage: null,
    routePath: 'root/eu/sim-alpha',
    holdingAttemptId: 'att_abc_1',
    providerReference: 'psp_ref_1',
    operationInFlight: null,
    operationStartedAt: null,
    operationAmount: null,
    operationAcceptedAt: null,
    returnUrl: null,
    nextActionUrl: null,
    actionExpiresAt: null,
    customerId: null,
    paymentMethodId: null,
    vaultCardId: null,
    setupFutureUsage: null,
    initiator: 'customer',
    networkTransactionId: null,
    setupSavedAt: null,
    nextCheckAt: null,
    checkCount: 0,
    checkLeaseUntil: null,
    createdAt: at,
    updatedAt: at,
    attempts: [
      {
        id: 'att_abc_1',
        paymentId: 'pay_abc',
        seq: 1,
        path: 'root/eu/sim-alpha',
        outcome: 'approved',
        code: null,
        reason: 'rule currency∈[EUR] → eu',
        latencyMs: 12,
        providerReference: 'psp_ref_1',
        createdAt: at,
      },
    ],
    ...overrides,
  };
}

export function operationOutcome(outcome: OperationOutcome['outcome'], overrides: Partial<OperationOutcome> = {}): OperationOutcome {
  return { outcome, code: null, message: null, providerReference: outcome === 'succeeded' ? 'psp_op_1' : null, ...overrides };
}
