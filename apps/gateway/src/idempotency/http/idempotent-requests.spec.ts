import { describe, expect, it, vi } from 'vitest';
import { RecordingRunner } from '../../../../../libs/persistence/test-support/recording-runner.js';
import { type IdempotencyRecord, part, Prisma, type PrismaClient, type StatementPart, step, type UnitOfWork } from '#persistence';
import { Refusal, type RefusalKind } from '../../common/refusal.js';
import { ApiError } from '../../errors/api-error.js';
import type { IdempotencyKey } from '../idempotency-key.js';
import { IdempotencyRepository } from '../idempotency.repository.js';
import type { IdempotencyScope } from '../idempotency-scope.js';
import { IdempotencyKeys } from '../idempotency-keys.js';
import { type Answer, IdempotentRequests } from './idempotent-requests.js';

const SCOPE: IdempotencyScope = { merchantId: 'mer_1', key: 'key-1', fingerprint: 'a'.repeat(64) };


interface Created {
  id: string;
  amount: number;
  createdAt: Date;
}

const CREATED: Created = { id: 'pay_1', amount: 1000, createdAt: new Date('2026-01-01T00:00:00.000Z') };
const answer = (result: Created): Answer => ({ status: 201, body: { id: result.id, object: 'payment', amount: result.amount, created: result.createdAt, note: 'é "quoted"' } });
const EXPECTED_BODY = '{"id":"pay_1","object":"payment","amount":1000,"created":"2026-01-01T00:00:00.000Z","note":"é \\"quoted\\""}';

const pendingWrites = (): UnitOfWork => ({ writes: [part('pending_payment', Prisma.sql`INSERT INTO payments SELECT 1 FROM claimed RETURNING id`)] });
const outcomeWrites = (): UnitOfWork => ({ writes: [part('settled_payment', Prisma.sql`UPDATE payments SET status = 'captured' RETURNING id`)], required: ['settled_payment'] });

function record(overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  const at = new Date('2026-01-01T00:00:00.000Z');
  return {
    merchantId: SCOPE.merchantId,
    key: SCOPE.key,
    requestHash: SCOPE.fingerprint,
    state: 'completed',
    resourceId: 'pay_1',
    responseStatus: 201,
    // Not how JSON.stringify would write it: a replay must not re-serialize.
    responseBody: '{ "id": "pay_1",  "amount": 1000 }',
    createdAt: at,
    updatedAt: at,
    expiresAt: at,
    ...overrides,
  };
}

function setup() {
  const runner = new RecordingRunner();
  const findUnique = vi.fn(async (_args: unknown): Promise<IdempotencyRecord | null> => null);
  const prisma = { idempotencyRecord: { findUnique } } as unknown as PrismaClient;
  const requests = new IdempotentRequests(new IdempotencyKeys(new IdempotencyRepository(prisma), runner.asRunner()));
  return { runner, findUnique, requests };
}

/** A use case that claims with `claim`, then goes on with `then` (the provider call and what follows). */
function claimingUseCase(claim: UnitOfWork, then: (key: IdempotencyKey<Created>) => Promise<Created | Refusal>) {
  const afterClaim = vi.fn(then);
  const useCase = vi.fn(async (key: IdempotencyKey<Created>) => {
    const refused = await key.claim('pay_1', claim);
    if (refused) return refused;
    return afterClaim(key);
  });
  return { useCase, afterClaim };
}

const completing = async (key: IdempotencyKey<Created>) => {
  await key.complete(outcomeWrites(), CREATED);
  return CREATED;
};

async function apiErrorOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('IdempotentRequests.run', () => {
  describe('a first request', () => {
    it('claims, then completes with the JSON of the answer, and answers exactly what it stored', async () => {
      const { runner, requests } = setup();
      const { useCase } = claimingUseCase(pendingWrites(), completing);

      const response = await requests.run(SCOPE, answer, useCase);

      expect(response).toEqual({ status: 201, body: EXPECTED_BODY, replayed: false });
      expect(response.body).toBe(JSON.stringify(answer(CREATED).body));
      expect(runner.commits).toHaveLength(2);
      expect(runner.partNames(0)).toEqual(['claimed', 'pending_payment']);
      expect(runner.commits[0]!.unit.gate).toBe('claimed');
      // The outcome and the stored answer: one commit, both required.
      expect(runner.partNames(1)).toEqual(['settled_payment', 'completed']);
      expect(runner.commits[1]!.unit.required).toEqual(['settled_payment', 'completed']);
      const completion = runner.commits[1]!.unit.writes[1] as StatementPart;
      expect(completion.sql.values).toContain(201);
      expect(completion.sql.values.find((value) => typeof value === 'string' && value.startsWith('{'))).toBe(response.body);
    });

    it('releases: the undo writes and the deletion of the key in one commit, then answers the mapped refusal', async () => {
      const { runner, requests } = setup();
      const undo: UnitOfWork = { writes: [step(async () => {})] };
      const { useCase } = claimingUseCase(pendingWrites(), async (key) => {
        await key.release(undo);
        return new Refusal('provider_refused', 'processing_error', 'The provider refused the capture: boom.');
      });

      const error = await apiErrorOf(requests.run(SCOPE, answer, useCase));

      expect(error).toMatchObject({ status: 502, type: 'api_error', code: 'processing_error', message: 'The provider refused the capture: boom.' });
      expect(runner.commits).toHaveLength(2);
      expect(runner.commits[1]!.unit.writes[0]).toBe(undo.writes[0]);
      expect(runner.partNames(1)).toEqual(['step', 'released']);
      expect(runner.commits[1]!.unit.required).toEqual(['released']);
    });

    it('lets an error of the completion commit through: nothing is answered as if stored', async () => {
      const { runner, requests } = setup();
      runner.answers.push(true, new Error('completion of idempotency key key-1: a required row was missing, nothing was written'));
      const { useCase } = claimingUseCase(pendingWrites(), completing);
      await expect(requests.run(SCOPE, answer, useCase)).rejects.toThrow(/required row was missing/);
    });
  });

  describe('a retry of a taken key', () => {
    it('replays the stored response byte for byte, marked replayed; the use case goes no further than its claim', async () => {
      const { runner, findUnique, requests } = setup();
      runner.answers.push(false);
      findUnique.mockResolvedValueOnce(record());
      const { useCase, afterClaim } = claimingUseCase(pendingWrites(), completing);

      const response = await requests.run(SCOPE, answer, useCase);

      expect(response).toEqual({ status: 201, body: '{ "id": "pay_1",  "amount": 1000 }', replayed: true });
      expect(afterClaim).not.toHaveBeenCalled();
      expect(runner.commits).toHaveLength(1);
      expect(findUnique).toHaveBeenCalledWith({ where: { merchantId_key: { merchantId: 'mer_1', key: 'key-1' } } });
    });

    it('answers 422 idempotency_key_reused when the key was used for another request', async () => {
      const { runner, findUnique, requests } = setup();
      runner.answers.push(false);
      findUnique.mockResolvedValueOnce(record({ requestHash: 'b'.repeat(64) }));
      const error = await apiErrorOf(requests.run(SCOPE, answer, claimingUseCase(pendingWrites(), completing).useCase));
      expect(error).toMatchObject({ status: 422, type: 'idempotency_error', code: 'idempotency_key_reused' });
    });

    it('answers 422 for another request even while the first is in flight', async () => {
      const { runner, findUnique, requests } = setup();
      runner.answers.push(false);
      findUnique.mockResolvedValueOnce(record({ requestHash: 'b'.repeat(64), state: 'in_flight', responseStatus: null, responseBody: null }));
      const error = await apiErrorOf(requests.run(SCOPE, answer, claimingUseCase(pendingWrites(), completing).useCase));
      expect(error.status).toBe(422);
    });

    it('answers 409 idempotency_key_in_flight while the first request has not answered', async () => {
      const { runner, findUnique, requests } = setup();
      runner.answers.push(false);
      findUnique.mockResolvedValueOnce(record({ state: 'in_flight', responseStatus: null, responseBody: null }));
      const error = await apiErrorOf(requests.run(SCOPE, answer, claimingUseCase(pendingWrites(), completing).useCase));
      expect(error).toMatchObject({ status: 409, type: 'idempotency_error', code: 'idempotency_key_in_flight' });
      expect(error.message).toMatch(/still being processed/);
    });

    it('answers 409 idempotency_key_in_flight when the record is gone (released between the claim and the read)', async () => {
      const { runner, findUnique, requests } = setup();
      runner.answers.push(false);
      findUnique.mockResolvedValueOnce(null);
      const error = await apiErrorOf(requests.run(SCOPE, answer, claimingUseCase(pendingWrites(), completing).useCase));
      expect(error).toMatchObject({ status: 409, type: 'idempotency_error', code: 'idempotency_key_in_flight' });
      expect(error.message).toMatch(/just finished without a stored result/);
    });
  });

  describe('refusals', () => {
    it.each<[RefusalKind, number, string]>([
      ['invalid', 400, 'invalid_request_error'],
      ['not_found', 404, 'not_found'],
      ['state', 409, 'state_error'],
      ['provider_refused', 502, 'api_error'],
      ['provider_timeout', 504, 'api_error'],
    ])('a %s refusal before any claim becomes a %i %s, with nothing committed', async (kind, status, type) => {
      const { runner, requests } = setup();
      const refusal = new Refusal(kind, 'some_code', 'No.', 'amount');
      const error = await apiErrorOf(requests.run(SCOPE, answer, async () => refusal));
      expect(error).toMatchObject({ status, type, code: 'some_code', message: 'No.', param: 'amount' });
      expect(runner.commits).toHaveLength(0);
    });

    it('a refusal thrown by a step of the claim comes back to the use case (nothing claimed) and becomes its API error', async () => {
      const { runner, requests } = setup();
      const refusal = Refusal.state('payment_not_capturable', 'This payment is voided; only an authorized payment can be captured.');
      const claim: UnitOfWork = {
        writes: [
          step(async () => {
            throw refusal;
          }),
        ],
      };
      let claimAnswer: Refusal | undefined;
      const afterClaim = vi.fn(completing);
      const useCase = async (key: IdempotencyKey<Created>) => {
        claimAnswer = await key.claim('pay_1', claim);
        return claimAnswer ?? afterClaim(key);
      };

      const error = await apiErrorOf(requests.run(SCOPE, answer, useCase));

      expect(claimAnswer).toBe(refusal);
      expect(afterClaim).not.toHaveBeenCalled();
      // Nothing was claimed, so nothing is released: the only commit is the claim that rolled back.
      expect(runner.commits).toHaveLength(1);
      expect(error).toMatchObject({ status: 409, type: 'state_error', code: 'payment_not_capturable' });
    });

    it('a use case that refuses after claiming without releasing is an error, not an answer', async () => {
      const { requests } = setup();
      const { useCase } = claimingUseCase(pendingWrites(), async () => Refusal.state('too_late', 'No.'));
      const failure = await requests.run(SCOPE, answer, useCase).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(ApiError);
      expect((failure as Error).message).toMatch(/refused after claiming idempotency key key-1 without releasing it/);
    });

    it('a use case that answers without completing is an error, not an answer', async () => {
      const { requests } = setup();
      const { useCase } = claimingUseCase(pendingWrites(), async () => CREATED);
      const failure = await requests.run(SCOPE, answer, useCase).catch((e: unknown) => e);
      expect(failure).not.toBeInstanceOf(ApiError);
      expect((failure as Error).message).toMatch(/answered without completing idempotency key key-1/);
    });

    it("lets the use case's own errors through unchanged", async () => {
      const { requests } = setup();
      const boom = new Error('tree exploded');
      const { useCase } = claimingUseCase(pendingWrites(), async () => {
        throw boom;
      });
      await expect(requests.run(SCOPE, answer, useCase)).rejects.toBe(boom);
    });
  });
});
