import { Injectable } from '@nestjs/common';
import type { AttemptOutcome, AttemptRecord } from '#gateway-spi';

export type NodeCounters = Record<AttemptOutcome, number> & { attempts: number };

/** Per-process attempt counters for every node an attempt went through (shown by GET /v1/ops/tree). */
@Injectable()
export class NodeStatsService {
  private readonly counters = new Map<string, NodeCounters>();

  record(attempts: readonly AttemptRecord[]): void {
    for (const attempt of attempts) {
      for (const nodeId of attempt.path) {
        const counters = this.countersOf(nodeId);
        counters.attempts += 1;
        counters[attempt.outcome] += 1;
      }
    }
  }

  countersOf(nodeId: string): NodeCounters {
    let counters = this.counters.get(nodeId);
    if (!counters) {
      counters = { attempts: 0, approved: 0, declined: 0, failed: 0, unknown: 0 };
      this.counters.set(nodeId, counters);
    }
    return counters;
  }
}
