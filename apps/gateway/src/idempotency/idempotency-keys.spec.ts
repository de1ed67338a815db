import { describe, expect, it, vi } from 'vitest';
import { RecordingRunner } from '../../../../libs/persistence/test-support/recording-runner.js';
import { type IdempotencyRecord, part, Prisma, type PrismaClient, type StatementPart, step, type UnitOfWork } from '#persistence';
import { Refusal } from '../common/refusal.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import type { IdempotencyScope } from './idempotency-scope.js';
import { IdempotencyKeys } from './idempotency-keys.js';

const SCOPE: IdempotencyScope = { merchantId: 'mer_1', key: 'key-1', fingerprint: 'f'.repeat(64) };
const HOURS_48 = 48 * 60 * 60 * 1000;


function setup() {
  const runner = new RecordingRunner();
  const findUnique = vi.fn(async (_args: unknown): Promise<IdempotencyRecord | null> => null);
  const prisma = { idempotencyRecord: { findUnique } } as unknown as PrismaClient;
  const keys = new IdempotencyKeys(new IdempotencyRepository(prisma), runner.asRunner());
  return { runner, findUnique, keys };
}

const asPart = (write: UnitOfWork['writes'][number]) => write as StatementPart;

/** The operation's own first writes: a part reading the claim, and a step. */
function operationUnit(): UnitOfWork {
  return { writes: [part('pending_payment', Prisma.sql`INSERT INTO payments SELECT 1 FROM claimed RETURNING id`), step(async () => {})], required: ['pending_payment'] };
}

describe('IdempotencyKeys', () => {
  describe('claim', () => {
    it('is one commit: the claim part first, as the gate, then the operation writes', async () => {
      const { runner, keys } = setup();
      const unit = operationUnit();

      expect(await keys.claim(SCOPE, 'pay_1', unit)).toBe('claimed');

      expect(runner.commits).toHaveLength(1);
      const committed = runner.commits[0]!.unit;
      expect(committed.gate).toBe('claimed');
      expect(committed.writes).toHaveLength(3);
      expect(asPart(committed.writes[0]!).name).toBe('claimed');
      expect(committed.writes.slice(1)).toEqual(unit.writes);
      expect(committed.writes[1]).toBe(unit.writes[0]);
      expect(committed.writes[2]).toBe(unit.writes[1]);
      expect(committed.required).toEqual(['pending_payment']);
      expect(runner.commits[0]!.what).toContain(SCOPE.key);
    });

    it("inserts the key in flight for the request's fingerprint and resource, kept 48 h, and nothing on conflict", async () => {
      const { runner, keys } = setup();
      await keys.claim(SCOPE, 'pay_1', { writes: [] });

      const claim = asPart(runner.commits[0]!.unit.writes[0]!);
      expect(claim.sql.text).toMatch(/INSERT INTO idempotency_records/);
      expect(claim.sql.text).toContain("'in_flight'");
      expect(claim.sql.text).toMatch(/ON CONFLICT \(merchant_id, key\) DO NOTHING\s+RETURNING key/);
      const [merchantId, key, fingerprint, resourceId, createdAt, updatedAt, expiresAt] = claim.sql.values as [string, string, string, string, Date, Date, Date];
      expect({ merchantId, key, fingerprint, resourceId }).toEqual({ merchantId: 'mer_1', key: 'key-1', fingerprint: SCOPE.fingerprint, resourceId: 'pay_1' });
      expect(updatedAt).toEqual(createdAt);
      expect(expiresAt.getTime() - createdAt.getTime()).toBe(HOURS_48);
    });

    it("answers taken when the gate passed nothing (another request holds the key)", async () => {
      const { runner, keys } = setup();
      runner.answers.push(false);
      expect(await keys.claim(SCOPE, 'pay_1', operationUnit())).toBe('taken');
      expect(runner.commits).toHaveLength(1);
    });

    it('answers the refusal a step of the operation threw (the unit rolled back, the key stays free)', async () => {
      const { runner, keys } = setup();
      const refusal = Refusal.state('payment_not_capturable', 'This payment is captured.');
      runner.answers.push(refusal);
      expect(await keys.claim(SCOPE, 'pay_1', operationUnit())).toBe(refusal);
    });

    it('lets any other error of the commit through', async () => {
      const { runner, keys } = setup();
      runner.answers.push(new Error('connection reset'));
      await expect(keys.claim(SCOPE, 'pay_1', operationUnit())).rejects.toThrow('connection reset');
    });

    it('refuses an operation unit with a gate of its own: the claim is the gate', async () => {
      const { runner, keys } = setup();
      await expect(keys.claim(SCOPE, 'pay_1', { writes: [], gate: 'other' })).rejects.toThrow(/one gate at most/);
      expect(runner.commits).toHaveLength(0);
    });
  });

  describe('complete', () => {
    it("commits the operation's writes and the stored answer in one unit, the completion required", async () => {
      const { runner, keys } = setup();
      const outcome: UnitOfWork = { writes: [part('settled_payment', Prisma.sql`UPDATE payments SET status = 'captured' RETURNING id`)], required: ['settled_payment'] };
      const body = '{"id":"pay_1","status":"captured"}';

      await keys.complete(SCOPE, outcome, 201, body);

      expect(runner.commits).toHaveLength(1);
      const committed = runner.commits[0]!.unit;
      expect(committed.writes[0]).toBe(outcome.writes[0]);
      const completion = asPart(committed.writes[1]!);
      expect(committed.writes).toHaveLength(2);
      expect(completion.name).toBe('completed');
      expect(committed.required).toEqual(['settled_payment', 'completed']);
      expect(committed.gate).toBeUndefined();
      expect(completion.sql.text).toMatch(/UPDATE idempotency_records\s+SET state = 'completed'/);
      expect(completion.sql.values).toEqual(expect.arrayContaining([201, body, 'mer_1', 'key-1']));
      expect(completion.sql.values).toContain(body);
    });

    it('lets a failed commit through (a required row was missing: nothing written)', async () => {
      const { runner, keys } = setup();
      runner.answers.push(new Error('completion of idempotency key key-1: a required row was missing, nothing was written'));
      await expect(keys.complete(SCOPE, { writes: [] }, 201, '{}')).rejects.toThrow(/required row was missing/);
    });
  });

  describe('release', () => {
    it('commits the undo writes and the deletion of the key in one unit, the deletion required', async () => {
      const { runner, keys } = setup();
      const undo: UnitOfWork = { writes: [step(async () => {})] };

      await keys.release(SCOPE, undo);

      expect(runner.commits).toHaveLength(1);
      const committed = runner.commits[0]!.unit;
      expect(committed.writes).toHaveLength(2);
      expect(committed.writes[0]).toBe(undo.writes[0]);
      const release = asPart(committed.writes[1]!);
      expect(release.name).toBe('released');
      expect(release.sql.text).toMatch(/DELETE FROM idempotency_records/);
      expect(release.sql.values).toEqual(['mer_1', 'key-1']);
      expect(committed.required).toEqual(['released']);
    });
  });

  it("finds the merchant's record of the key", async () => {
    const { findUnique, keys } = setup();
    const record = { merchantId: 'mer_1', key: 'key-1', state: 'completed' } as IdempotencyRecord;
    findUnique.mockResolvedValueOnce(record);
    expect(await keys.find(SCOPE)).toBe(record);
    expect(findUnique).toHaveBeenCalledWith({ where: { merchantId_key: { merchantId: 'mer_1', key: 'key-1' } } });
  });
});
