import type { SegmentDimension } from './segment.js';

/** How a `success-rate` router estimates its children (the `success_rate:` block of the tree config). */
export interface SuccessRateSettings {
  /** Outcomes kept per child and segment. */
  windowSize: number;
  /** Oldest outcome kept, in ms: a child without traffic is forgotten and explored again. */
  windowMs: number;
  /** The dimensions whose values split the traffic into segments, each with its own windows. */
  segmentBy: SegmentDimension[];
  /** Ascending upper bounds of the amount bands (minor units), for `amount_band`. */
  amountBands: number[];
  /** Children whose estimated approval rate is below this (0–1) are left out, unless all are. */
  floor: number;
  /** Outcomes a child needs in a window before its rate is trusted; fewer is a cold start. */
  minSamples: number;
  /**
   * How wide the draws are, in (0, 1]: the counts are divided by it before drawing. 1 draws from the
   * window's own posterior (plain Thompson sampling); 0.25 draws as if the window were four times
   * as long, so a child that looks worse is tried less, while the window still follows the last
   * `windowSize` outcomes.
   */
  exploration: number;
  /** Seeds the per-payment draws (with the payment id). */
  seed: number;
  /** Cold-start weights by child id (the children's `weight:`; 1 when unset). */
  weights: ReadonlyMap<string, number>;
}

export const DEFAULT_SUCCESS_RATE: Omit<SuccessRateSettings, 'weights'> = {
  windowSize: 200,
  windowMs: 15 * 60_000,
  segmentBy: [],
  amountBands: [1_000, 10_000, 100_000],
  floor: 0,
  minSamples: 20,
  exploration: 0.5,
  seed: 0,
};
