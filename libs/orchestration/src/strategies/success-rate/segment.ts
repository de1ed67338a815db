import type { RoutingFacts } from '#gateway-spi';

export const SEGMENT_DIMENSIONS = ['brand', 'currency', 'country', 'amount_band', 'initiator'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

/** Names the slice of traffic a payment belongs to, e.g. "visa·EUR·≤10000"; "all" without dimensions. */
export class Segmenter {
  constructor(
    private readonly dimensions: readonly SegmentDimension[],
    /** Ascending upper bounds (minor units, inclusive) of the amount bands; above the last is one more band. */
    private readonly amountBands: readonly number[],
  ) {}

  get segmented(): boolean {
    return this.dimensions.length > 0;
  }

  keyOf(facts: RoutingFacts): string {
    if (this.dimensions.length === 0) return 'all';
    return this.dimensions.map((dimension) => this.valueOf(dimension, facts)).join('·');
  }

  private valueOf(dimension: SegmentDimension, facts: RoutingFacts): string {
    switch (dimension) {
      case 'brand':
        return facts.brand ?? 'unknown-brand';
      case 'currency':
        return facts.currency;
      case 'country':
        return facts.country ?? 'unknown-country';
      case 'initiator':
        return facts.initiator ?? 'customer';
      case 'amount_band': {
        const bound = this.amountBands.find((edge) => facts.amount <= edge);
        return bound === undefined ? `>${this.amountBands.at(-1) ?? 0}` : `≤${bound}`;
      }
    }
  }
}
