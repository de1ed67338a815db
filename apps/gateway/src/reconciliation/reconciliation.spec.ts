import type { StatusOutcome } from '#gateway-spi';
import { Logger } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import type { GatewayConfig } from '../config/gateway-config.js';
import { ConfigError, loadGatewayConfig } from '../config/gateway-config.js';
import { nextCheckDelayMs } from './check-schedule.js';
import { PENDING_RESOLVED, resolvePendingPayment } from '../payments/index.js';
import type { ReconcilePending } from './reconcile-pending.js';
import type { SaveApprovedSetups } from '../payments/index.js';
import { ReconciliationJob } from './reconciliation.job.js';

const status = (over: Partial<StatusOutcome>): StatusOutcome => ({
  state: 'unknown',
  code: null,
  providerReference: null,
  amountAuthorized: 0,
  amountCaptured: 0,
  amountRefunded: 0,
  voided: false,
  ...over,
});
const payment = { amount: 1000, capture: true, routePath: 'root/us/sim', holdingAttemptId: 'att_x_1', providerReference: null };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('resolving a pending payment from its leaf status', () => {
  it('approved → captured (capture flag set), with the status changes then one pending_resolved event', () => {
    const resolution = resolvePendingPayment(payment, status({ state: 'approved', amountAuthorized: 1000, amountCaptured: 1000, providerReference: 'ch_1' }));
    expect(resolution).toMatchObject({ to: 'captured', amountCaptured: 1000, declineCode: null, providerReference: 'ch_1', attempt: { outcome: 'approved', code: null } });
    expect(resolution!.changes.map((c) => [c.type ?? null, c.from, c.to])).toEqual([
      [null, 'pending', 'authorized'],
      [null, 'authorized', 'captured'],
      [PENDING_RESOLVED, 'pending', 'captured'],
    ]);
  });

  it('approved → authorized without the capture flag', () => {
    const resolution = resolvePendingPayment({ ...payment, capture: false }, status({ state: 'approved', amountAuthorized: 1000 }));
    expect(resolution).toMatchObject({ to: 'authorized', amountCaptured: 0 });
    expect(resolution!.changes.filter((c) => c.type === PENDING_RESOLVED)).toHaveLength(1);
  });

  it.each([
    [status({ state: 'not_found' }), 'failed', 'provider_timeout'],
    [status({ state: 'declined', code: 'insufficient_funds' }), 'declined', 'insufficient_funds'],
    [status({ state: 'failed', code: 'processing_error' }), 'failed', 'processing_error'],
  ])('%j → %s (%s)', (answer, to, code) => {
    const resolution = resolvePendingPayment(payment, answer);
    expect(resolution).toMatchObject({ to, declineCode: code, amountCaptured: 0, attempt: { outcome: to, code } });
    expect(resolution!.changes.map((c) => c.to)).toEqual([to, to]);
  });

  it('unknown → stays pending', () => {
    expect(resolvePendingPayment(payment, status({ state: 'unknown', code: 'provider_timeout' }))).toBeNull();
  });

  it('a payment waiting for its shopper: approved moves on without a pending_resolved event; still waiting or not found keeps it waiting', () => {
    const resolution = resolvePendingPayment(payment, status({ state: 'approved', amountCaptured: 1000 }), 'requires_action', 'shopper');
    expect(resolution!.changes.map((c) => [c.type ?? null, c.from, c.to])).toEqual([
      [null, 'requires_action', 'authorized'],
      [null, 'authorized', 'captured'],
    ]);
    expect(resolution!.changes[0]!.data).toMatchObject({ resolved_by: 'shopper' });
    expect(resolvePendingPayment(payment, status({ state: 'requires_action' }), 'requires_action')).toBeNull();
    expect(resolvePendingPayment(payment, status({ state: 'not_found' }), 'requires_action')).toBeNull();
    expect(resolvePendingPayment(payment, status({ state: 'declined', code: 'authentication_failed' }), 'requires_action')).toMatchObject({
      to: 'declined',
      declineCode: 'authentication_failed',
    });
  });

  it('checks again on an exponential schedule, capped at an hour', () => {
    expect([1, 2, 3, 4].map(nextCheckDelayMs)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(nextCheckDelayMs(30)).toBe(3_600_000);
  });
});

describe('the background reconciliation job', () => {
  const job = (intervalMs: number | undefined, run: () => Promise<unknown>) =>
    new ReconciliationJob({ reconcileIntervalMs: intervalMs } as GatewayConfig, { run } as unknown as ReconcilePending, {
      run: async () => 0,
    } as unknown as SaveApprovedSetups);

  it('runs on its interval, one run at a time, and stops (waiting for the run in progress) on destroy', async () => {
    let runs = 0;
    let concurrent = 0;
    let overlap = false;
    const reconciler = job(10, async () => {
      runs += 1;
      concurrent += 1;
      overlap ||= concurrent > 1;
      await sleep(25);
      concurrent -= 1;
    });
    reconciler.onApplicationBootstrap();
    // Waits for the runs instead of a fixed time, so a loaded machine cannot fail it.
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 5 });
    await reconciler.onModuleDestroy();
    const stoppedAt = runs;
    expect(stoppedAt).toBeGreaterThanOrEqual(2);
    expect(overlap).toBe(false);
    expect(concurrent).toBe(0);
    await sleep(60);
    expect(runs).toBe(stoppedAt);
  });

  it('keeps running after a failed run, and is off with an interval of 0 or none', async () => {
    let runs = 0;
    const warned = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    const failing = job(5, async () => {
      runs += 1;
      throw new Error('database away');
    });
    failing.onApplicationBootstrap();
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 5 });
    await failing.onModuleDestroy();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(warned).toHaveBeenCalledWith('reconciliation run failed: database away');
    warned.mockRestore();

    for (const interval of [0, undefined]) {
      let called = false;
      const off = job(interval, async () => (called = true));
      off.onApplicationBootstrap();
      await sleep(20);
      await off.onModuleDestroy();
      expect(called).toBe(false);
    }
  });

  it('takes its interval from CANOPY_RECONCILE_INTERVAL_MS (default 30 s, 0 disables), naming the variable when bad', () => {
    expect(loadGatewayConfig({}).reconcileIntervalMs).toBe(30_000);
    expect(loadGatewayConfig({ CANOPY_RECONCILE_INTERVAL_MS: '0' }).reconcileIntervalMs).toBe(0);
    expect(loadGatewayConfig({ CANOPY_RECONCILE_INTERVAL_MS: '5000' }).reconcileIntervalMs).toBe(5000);
    for (const bad of ['-1', 'soon', '1.5']) {
      expect(() => loadGatewayConfig({ CANOPY_RECONCILE_INTERVAL_MS: bad })).toThrow(ConfigError);
      expect(() => loadGatewayConfig({ CANOPY_RECONCILE_INTERVAL_MS: bad })).toThrow(/CANOPY_RECONCILE_INTERVAL_MS must be an integer/);
    }
  });
});
