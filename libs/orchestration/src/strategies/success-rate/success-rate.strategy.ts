import type { AttemptOutcome, RoutingFacts, UnifiedCode } from '#gateway-spi';
import { CODE_POLICY } from '../../retry-policy.js';
import { stableHash } from '../stable-hash.js';
import { misfitsOf, type FittedChild, type RouteCandidate, type RoutePlan, type RoutingStrategy } from '../strategy.js';
import { ApprovalWindow, type ApprovalCounts } from './approval-window.js';
import { betaDraw, mulberry32 } from './beta-draw.js';
import { Segmenter } from './segment.js';
import type { SuccessRateSettings } from './success-rate.settings.js';

/** What the strategy knew of one child when it planned a payment. */
interface ChildEstimate {
  node: FittedChild['node'];
  counts: ApprovalCounts;
  /** The segment the counts come from: the payment's, or "all" when the segment had too few. */
  scope: string;
  /** Posterior mean (approved + 1) / (attempts + 2). */
  mean: number;
  draw: number;
  /** It has had `minSamples` outcomes at once (now or before): never a cold start again. */
  warm: boolean;
}

/** Segments tracked per child; the traffic of further segments counts in the child's whole window only. */
export const MAX_SEGMENTS_PER_CHILD = 1_000;

const rate = (value: number) => value.toFixed(3);
const NO_OUTCOMES: ApprovalCounts = Object.freeze({ attempts: 0, approved: 0 });

/**
 * Ranks children by Thompson sampling over their recent approval rates: each child's rate is a
 * Beta(approved + 1, declined + 1) posterior over its window, one draw per child and payment, best
 * draw first. A child's share of traffic is thus its probability of being the best, so a slightly
 * worse child still gets a few payments and is found again when it recovers, and several gateway
 * processes do not all herd onto the same child as a deterministic upper-confidence rule would.
 * Windows are per child and segment; a segment with too few outcomes uses the child's all-traffic
 * window; a child that never had enough in either is a cold start, and the router then splits by
 * weight. A child that had enough once and has fewer now (it got no traffic for `windowMs`) is
 * drawn from what it holds: a wide posterior, so it is tried again and found if it recovered.
 * Outcomes are fed by `observe`, for every attempt that passes through this router.
 */
export class SuccessRateStrategy implements RoutingStrategy {
  readonly name = 'success-rate';
  private readonly segmenter: Segmenter;
  /** Windows by child id, then segment key ("all" for the child's whole traffic). */
  private readonly windows = new Map<string, Map<string, ApprovalWindow>>();

  constructor(
    private readonly settings: SuccessRateSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.segmenter = new Segmenter(settings.segmentBy, settings.amountBands);
  }

  observe(facts: RoutingFacts, childId: string, outcome: AttemptOutcome, code: UnifiedCode | null): void {
    const approved = outcome === 'approved';
    if (!approved && !countsAsRefusal(outcome, code)) return;
    const now = this.now();
    this.windowOf(childId, 'all')!.add(approved, now);
    if (this.segmenter.segmented) this.windowOf(childId, this.segmenter.keyOf(facts))?.add(approved, now);
  }

  plan(facts: RoutingFacts, children: readonly FittedChild[]): RoutePlan {
    const fitting = children.filter((child) => !child.misfit);
    const live = fitting.filter((child) => child.admitted !== false);
    if (fitting.length === 0) return { candidates: [], none: `no child can take it (${misfitsOf(children)})` };
    // Every fitting child's breaker is open: the router says so for each of them.
    if (live.length === 0) return { candidates: fitting.map((child) => ({ node: child.node, reason: `success-rate → ${child.node.id}` })) };
    const segment = this.segmenter.keyOf(facts);
    const now = this.now();
    const random = mulberry32(stableHash(`${this.settings.seed}:${facts.paymentId}`));
    const estimates = live.map((child) => this.estimate(child.node, segment, now, random));
    const cold = estimates.filter((estimate) => !estimate.warm);
    if (cold.length > 0) return this.coldStart(facts, estimates, cold, segment);
    return this.ranked(estimates, segment);
  }

  private ranked(estimates: ChildEstimate[], segment: string): RoutePlan {
    const { floor, minSamples } = this.settings;
    // Only a rate backed by enough outcomes can put a child below the floor.
    const above = estimates.filter((estimate) => estimate.mean >= floor || estimate.counts.attempts < minSamples);
    const kept = above.length > 0 ? above : estimates;
    const excluded = estimates.filter((estimate) => !kept.includes(estimate));
    kept.sort((a, b) => b.draw - a.draw);
    const shown = kept.map((e) => `${e.node.id} ${rate(e.mean)} (${e.counts.approved}/${e.counts.attempts}${e.scope === segment ? '' : ' all'}) draw ${rate(e.draw)}`);
    const left = excluded.map((e) => `${e.node.id} ${rate(e.mean)} below floor ${floor}`);
    const allBelow = above.length === 0 && floor > 0 ? `; all below floor ${floor}` : '';
    const summary = `success-rate [${segment}] ${[...shown, ...left].join(', ')}${allBelow}`;
    return {
      candidates: kept.map((e, index): RouteCandidate => ({ node: e.node, reason: `${summary} → ${e.node.id}${index === 0 ? '' : ` (rank ${index + 1})`}` })),
    };
  }

  /** Too few outcomes to trust: split by weight (like `weighted`, by payment id), heaviest as fallback. */
  private coldStart(facts: RoutingFacts, estimates: ChildEstimate[], cold: ChildEstimate[], segment: string): RoutePlan {
    const weighted = estimates.map((e) => ({ node: e.node, weight: this.settings.weights.get(e.node.id) ?? 1 }));
    const total = weighted.reduce((sum, child) => sum + child.weight, 0);
    let ticket = stableHash(facts.paymentId) % total;
    const chosen = weighted.find((child) => (ticket -= child.weight) < 0)!;
    const fallbacks = weighted.filter((child) => child !== chosen).sort((a, b) => b.weight - a.weight);
    const samples = cold.map((e) => `${e.node.id} ${e.counts.attempts}/${this.settings.minSamples}`).join(', ');
    const label = `success-rate [${segment}] cold start (${samples} outcomes), weighted ${weighted.map((child) => child.weight).join('/')}`;
    return {
      candidates: [chosen, ...fallbacks].map((child, index) => ({ node: child.node, reason: `${label} → ${child.node.id}${index === 0 ? '' : ' (fallback)'}` })),
    };
  }

  private estimate(node: FittedChild['node'], segment: string, now: number, random: () => number): ChildEstimate {
    const { minSamples } = this.settings;
    const bySegment = this.windows.get(node.id);
    const inSegment = bySegment?.get(segment);
    let scope = segment;
    let counts = inSegment?.counts(now) ?? NO_OUTCOMES;
    let warm = inSegment?.hasHeld(minSamples) ?? false;
    if (counts.attempts < minSamples && segment !== 'all') {
      const whole = bySegment?.get('all');
      const overall = whole?.counts(now) ?? NO_OUTCOMES;
      warm ||= whole?.hasHeld(minSamples) ?? false;
      if (overall.attempts > counts.attempts) {
        counts = overall;
        scope = 'all';
      }
    }
    const refused = counts.attempts - counts.approved;
    const mean = (counts.approved + 1) / (counts.attempts + 2);
    const { exploration } = this.settings;
    const draw = betaDraw(counts.approved / exploration + 1, refused / exploration + 1, random);
    return { node, counts, scope, mean, draw, warm: warm || counts.attempts >= minSamples };
  }

  /** The window of a child in a segment, created on first use; undefined past MAX_SEGMENTS_PER_CHILD. */
  private windowOf(childId: string, segment: string): ApprovalWindow | undefined {
    let bySegment = this.windows.get(childId);
    if (!bySegment) this.windows.set(childId, (bySegment = new Map()));
    let window = bySegment.get(segment);
    if (!window) {
      if (bySegment.size > MAX_SEGMENTS_PER_CHILD) return undefined;
      bySegment.set(segment, (window = new ApprovalWindow(this.settings.windowSize, this.settings.windowMs)));
    }
    return window;
  }
}

/**
 * A decline, or a failure of the child itself, counts against its approval rate. Not counted: an
 * unknown outcome (settled later), a shopper's authentication still open, and a child that could
 * not take the payment at all (no route, currency, operation): that is routing, not approval.
 */
function countsAsRefusal(outcome: AttemptOutcome, code: UnifiedCode | null): boolean {
  if (outcome === 'declined') return true;
  if (outcome !== 'failed') return false;
  return code === null || (CODE_POLICY[code]?.kind !== 'route' && code !== 'operation_not_supported');
}
