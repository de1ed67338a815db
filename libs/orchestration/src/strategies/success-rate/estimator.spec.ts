import { describe, expect, it } from 'vitest';
import { ApprovalWindow } from './approval-window.js';
import { betaDraw, mulberry32 } from './beta-draw.js';
import { Segmenter } from './segment.js';

describe('approval window', () => {
  it('keeps the last `size` outcomes with their approvals', () => {
    const window = new ApprovalWindow(3, 60_000);
    [true, true, false, false, false].forEach((ok, i) => window.add(ok, i));
    expect(window.counts(10)).toEqual({ attempts: 3, approved: 0 });
    window.add(true, 11);
    expect(window.counts(12)).toEqual({ attempts: 3, approved: 1 });
  });

  it('grows as it fills, up to its size, keeping the order of its outcomes', () => {
    const window = new ApprovalWindow(40, 60_000);
    for (let i = 0; i < 100; i += 1) window.add(i % 4 === 0, i);
    expect(window.counts(100)).toEqual({ attempts: 40, approved: 10 });
    for (let i = 0; i < 40; i += 1) window.add(true, 200 + i);
    expect(window.counts(240)).toEqual({ attempts: 40, approved: 40 });
    expect(window.hasHeld(40)).toBe(true);
    expect(window.hasHeld(41)).toBe(false);
  });

  it('forgets outcomes older than its age bound', () => {
    const window = new ApprovalWindow(10, 1_000);
    window.add(true, 0);
    window.add(false, 600);
    expect(window.counts(900)).toEqual({ attempts: 2, approved: 1 });
    expect(window.counts(1_200)).toEqual({ attempts: 1, approved: 0 });
    expect(window.counts(5_000)).toEqual({ attempts: 0, approved: 0 });
    window.add(true, 5_000);
    expect(window.counts(5_000)).toEqual({ attempts: 1, approved: 1 });
  });
});

describe('beta draws', () => {
  it('are the same for the same seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const drawsA = Array.from({ length: 5 }, () => betaDraw(8, 3, a));
    expect(Array.from({ length: 5 }, () => betaDraw(8, 3, b))).toEqual(drawsA);
    expect(Array.from({ length: 5 }, () => betaDraw(8, 3, mulberry32(43)))).not.toEqual(drawsA);
  });

  it.each([
    [1, 1],
    [91, 11],
    [20, 80],
    [400, 100],
  ])('Beta(%i, %i) has the right mean and spread over 20,000 draws', (alpha, beta) => {
    const random = mulberry32(7);
    const draws = Array.from({ length: 20_000 }, () => betaDraw(alpha, beta, random));
    const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
    const variance = draws.reduce((sum, x) => sum + (x - mean) ** 2, 0) / draws.length;
    const expectedMean = alpha / (alpha + beta);
    const expectedVariance = (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1));
    expect(Math.abs(mean - expectedMean)).toBeLessThan(0.01);
    expect(Math.abs(variance - expectedVariance) / expectedVariance).toBeLessThan(0.1);
    expect(draws.every((x) => x > 0 && x < 1)).toBe(true);
  });
});

describe('segments', () => {
  const facts = { amount: 2_500, currency: 'EUR', method: 'card', brand: 'visa' as const, country: 'DE', paymentId: 'pay_1' };

  it('name the slice a payment belongs to, in the configured order', () => {
    expect(new Segmenter([], [1_000]).keyOf(facts)).toBe('all');
    expect(new Segmenter(['brand', 'currency', 'amount_band'], [1_000, 10_000]).keyOf(facts)).toBe('visa·EUR·≤10000');
    expect(new Segmenter(['amount_band'], [1_000, 2_000]).keyOf(facts)).toBe('>2000');
    expect(new Segmenter(['amount_band'], [2_500]).keyOf(facts)).toBe('≤2500');
    expect(new Segmenter(['initiator', 'country'], [1]).keyOf({ ...facts, initiator: 'merchant' })).toBe('merchant·DE');
    expect(new Segmenter(['country', 'initiator'], [1]).keyOf({ ...facts, country: undefined })).toBe('unknown-country·customer');
  });
});
