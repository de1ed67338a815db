import { Injectable } from '@nestjs/common';
import type { AttemptOutcome, AttemptRecord } from '#gateway-spi';
import { MetricsService } from './metrics.service.js';
import { MinuteSeries, type SeriesCounts } from './minute-series.js';
import { type RecentActivity, RecentWindow } from './recent-window.js';

export type NodeCounters = Record<AttemptOutcome, number> & { attempts: number };

/** How far back "recent" activity of a node reaches (ops tree view and dashboard). */
export const RECENT_WINDOW_MS = 5 * 60_000;

/**
 * Per-process attempt counters for every node an attempt went through (shown by GET /v1/ops/tree),
 * totals since start-up, a sliding recent window and a per-minute series of the last hour (the
 * dashboard's routing charts); each attempt also feeds the metrics.
 */
@Injectable()
export class NodeStatsService {
  private readonly counters = new Map<string, NodeCounters>();
  private readonly recent = new Map<string, RecentWindow>();
  private readonly series = new Map<string, MinuteSeries>();

  constructor(private readonly metrics: MetricsService) {}

  record(attempts: readonly AttemptRecord[]): void {
    for (const attempt of attempts) {
      for (const nodeId of attempt.path) {
        const counters = this.countersOf(nodeId);
        counters.attempts += 1;
        counters[attempt.outcome] += 1;
        this.windowOf(nodeId).add(attempt.outcome === 'approved');
        this.seriesFor(nodeId).add(attempt.outcome === 'approved');
      }
    }
    this.metrics.recordAttempts(attempts);
  }

  countersOf(nodeId: string): NodeCounters {
    let counters = this.counters.get(nodeId);
    if (!counters) {
      counters = { attempts: 0, approved: 0, declined: 0, failed: 0, unknown: 0, requires_action: 0 };
      this.counters.set(nodeId, counters);
    }
    return counters;
  }

  /** Attempts and approval rate of the last RECENT_WINDOW_MS. */
  recentOf(nodeId: string): RecentActivity {
    return this.windowOf(nodeId).snapshot();
  }

  /** Attempts and approvals per minute of the last hour ending at `now` (buckets of seriesBucketStarts(now)). */
  seriesOf(nodeId: string, now: number): SeriesCounts {
    return this.series.get(nodeId)?.read(now) ?? MinuteSeries.empty();
  }

  private seriesFor(nodeId: string): MinuteSeries {
    let series = this.series.get(nodeId);
    if (!series) {
      series = new MinuteSeries();
      this.series.set(nodeId, series);
    }
    return series;
  }

  private windowOf(nodeId: string): RecentWindow {
    let window = this.recent.get(nodeId);
    if (!window) {
      window = new RecentWindow(RECENT_WINDOW_MS);
      this.recent.set(nodeId, window);
    }
    return window;
  }
}
