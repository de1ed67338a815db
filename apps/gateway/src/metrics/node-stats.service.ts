import { Injectable } from '@nestjs/common';
import type { AttemptOutcome, AttemptRecord } from '#gateway-spi';
import { MetricsService } from './metrics.service.js';
import { MinuteSeries, type SeriesCounts } from './minute-series.js';
import { type RecentActivity, RecentWindow } from './recent-window.js';

export type NodeCounters = Record<AttemptOutcome, number> & { attempts: number };

/** How far back "recent" activity of a node reaches (ops tree view and dashboard). */
export const RECENT_WINDOW_MS = 5 * 60_000;

/** What the process counts of one node. */
interface NodeStats {
  counters: NodeCounters;
  recent: RecentWindow;
  series: MinuteSeries;
}

/**
 * Per-process attempt counters for every node an attempt went through (shown by GET /v1/ops/tree),
 * totals since start-up, a sliding recent window and a per-minute series of the last hour (the
 * dashboard's routing charts); each attempt also feeds the metrics.
 */
@Injectable()
export class NodeStatsService {
  private readonly nodes = new Map<string, NodeStats>();

  constructor(private readonly metrics: MetricsService) {}

  record(attempts: readonly AttemptRecord[]): void {
    for (const attempt of attempts) {
      const approved = attempt.outcome === 'approved';
      for (const nodeId of attempt.path) {
        const { counters, recent, series } = this.statsOf(nodeId);
        counters.attempts += 1;
        counters[attempt.outcome] += 1;
        recent.add(approved);
        series.add(approved);
      }
    }
    this.metrics.recordAttempts(attempts);
  }

  countersOf(nodeId: string): NodeCounters {
    return this.statsOf(nodeId).counters;
  }

  /** Attempts and approval rate of the last RECENT_WINDOW_MS. */
  recentOf(nodeId: string): RecentActivity {
    return this.statsOf(nodeId).recent.snapshot();
  }

  /** Attempts and approvals per minute of the last hour ending at `now` (buckets of seriesBucketStarts(now)). */
  seriesOf(nodeId: string, now: number): SeriesCounts {
    return this.nodes.get(nodeId)?.series.read(now) ?? MinuteSeries.empty();
  }

  private statsOf(nodeId: string): NodeStats {
    let stats = this.nodes.get(nodeId);
    if (!stats) {
      stats = {
        counters: { attempts: 0, approved: 0, declined: 0, failed: 0, unknown: 0, requires_action: 0 },
        recent: new RecentWindow(RECENT_WINDOW_MS),
        series: new MinuteSeries(),
      };
      this.nodes.set(nodeId, stats);
    }
    return stats;
  }
}
