import { Inject, Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AttemptOutcome, AttemptRecord, BreakerState } from '#gateway-spi';
import type { Tree } from '#orchestration';
import { TIMED_OPERATIONS, type TimedOperation } from '../common/server-timing.js';
import { TREE } from '../common/tokens.js';

/** How often the event-loop lag histogram (`nodejs_eventloop_lag_*`) samples. */
const EVENT_LOOP_SAMPLE_MS = 100;

const OUTCOMES: readonly AttemptOutcome[] = ['approved', 'declined', 'failed', 'unknown', 'requires_action'];
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** The gateway's own time per payment is a few milliseconds: finer buckets below 5 ms. */
const GATEWAY_TIME_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** Gauge values of `canopy_node_breaker_state`, in order of severity. */
export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = { closed: 0, half_open: 1, open: 2 };

/** How a webhook delivery round ended for one delivery (the dispatcher's summary keys). */
export type WebhookDeliveryResult = 'delivered' | 'retrying' | 'failed' | 'disabled' | 'cancelled' | 'unrecorded';

/**
 * The gateway's Prometheus metrics, in a registry of its own (several gateways in one process, as
 * in the tests, never share or clash). Labels stay bounded: route templates, node ids from the
 * tree config, fixed outcome names; never payment or merchant ids.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');

  private readonly httpDuration = new Histogram({
    name: 'canopy_http_request_duration_seconds',
    help: 'HTTP request latency by route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly nodeAttempts = new Counter({
    name: 'canopy_node_attempts_total',
    help: 'Payment attempts through each node (every node on the attempt path), by outcome.',
    labelNames: ['node', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly nodeLatency = new Histogram({
    name: 'canopy_node_attempt_duration_seconds',
    help: 'Latency of payment attempts through each node, as measured at the leaf.',
    labelNames: ['node'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly webhookDeliveries = new Counter({
    name: 'canopy_webhook_deliveries_total',
    help: 'Webhook deliveries by result (delivered, retrying, failed, disabled, cancelled, unrecorded).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  private readonly notifications = new Counter({
    name: 'canopy_provider_notifications_total',
    help:
      'Facts of provider notifications by node and result: applied, ignored (already so), unmatched (no payment or a state it does not fit), ' +
      'duplicate (applied before); refused messages (bad signature, unknown node, unreachable) count once per message.',
    labelNames: ['node', 'result'] as const,
    registers: [this.registry],
  });

  private readonly paymentGatewayDuration = new Histogram({
    name: 'canopy_payment_gateway_duration_seconds',
    help: "The gateway's own time per payment answer (its handling minus the tree time), by operation (the Server-Timing header's gateway).",
    labelNames: ['operation'] as const,
    buckets: GATEWAY_TIME_BUCKETS,
    registers: [this.registry],
  });

  private readonly paymentTreeDuration = new Histogram({
    name: 'canopy_payment_tree_duration_seconds',
    help: "Time per payment answer spent in the tree's providers, by operation (0 on replays and refusals; the Server-Timing header's tree).",
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** The histograms' children per operation, made once (not per payment). */
  private readonly paymentTimings = new Map(
    TIMED_OPERATIONS.map((operation) => [operation, { gateway: this.paymentGatewayDuration.labels(operation), tree: this.paymentTreeDuration.labels(operation) }]),
  );

  constructor(@Inject(TREE) private readonly tree: Tree) {
    // The event-loop lag monitor samples every 100 ms, not prom-client's 10: its timer woke an idle
    // gateway 100 times a second, about 4 wake-ups per payment at 25 req/s, each one a full trip
    // through the event loop and the kernel. A stall still shows: it delays the pending sample.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    // Zero series for every known node, so rates and dashboards work before the first payment.
    for (const node of this.tree.nodes.keys()) {
      for (const outcome of OUTCOMES) this.nodeAttempts.inc({ node, outcome }, 0);
    }
    for (const operation of TIMED_OPERATIONS) {
      this.paymentGatewayDuration.zero({ operation });
      this.paymentTreeDuration.zero({ operation });
    }
    this.registerBreakerGauge();
  }

  /** One finished HTTP request; `route` is the route template (`/v1/payments/:id`), never the URL. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  /** One payment answer's Server-Timing split (ms); a property, so it can be handed to the hook unbound. */
  readonly observePaymentTiming = (operation: TimedOperation, gatewayMs: number, treeMs: number): void => {
    const timing = this.paymentTimings.get(operation)!;
    timing.gateway.observe(gatewayMs / 1000);
    timing.tree.observe(treeMs / 1000);
  };

  /** The attempts of one payment operation: counted and timed on every node of each path. */
  recordAttempts(attempts: readonly AttemptRecord[]): void {
    for (const attempt of attempts) {
      for (const node of attempt.path) {
        this.nodeAttempts.inc({ node, outcome: attempt.outcome });
        this.nodeLatency.observe({ node }, attempt.latencyMs / 1000);
      }
    }
  }

  /**
   * One notification fact's result, or a refused message's reason. `node` is a label only when the
   * message reached a node (any id can be posted; unknown ones must not grow the label set).
   */
  recordNotification(node: string | null, result: string): void {
    this.notifications.inc({ node: node ?? '(unknown)', result });
  }

  /** Notifications this process refused (nothing is stored for them), by reason: `bad_signature`, `unknown_node`, … */
  async refusedNotifications(): Promise<Record<string, number>> {
    const refused: Record<string, number> = {};
    for (const { labels, value } of (await this.notifications.get()).values) {
      const result = String(labels.result ?? '');
      if (result.startsWith('refused_')) refused[result.slice('refused_'.length)] = (refused[result.slice('refused_'.length)] ?? 0) + value;
    }
    return refused;
  }

  /** One webhook delivery's result (called by the webhook dispatcher). */
  recordWebhookDelivery(result: WebhookDeliveryResult): void {
    this.webhookDeliveries.inc({ result });
  }

  /** The exposition text of every metric. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * A gauge counted in the database at scrape time, so it can never drift from it (the features
   * that own the tables register theirs).
   */
  registerDatabaseGauge(name: string, help: string, count: () => Promise<number>): void {
    const logger = this.logger;
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        try {
          this.set(await count());
        } catch (error) {
          // Keep the last value: a scrape must not fail because the database hiccupped.
          logger.warn(`${name} not counted: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
    });
  }

  /** The breakers, read from the routers at scrape time, so the gauge can never drift from them. */
  private registerBreakerGauge(): void {
    const tree = this.tree;
    new Gauge({
      name: 'canopy_node_breaker_state',
      help: 'Circuit breaker a router keeps for each child: 0 closed, 1 half-open, 2 open.',
      labelNames: ['node'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const node of tree.nodes.values()) {
          for (const [child, breaker] of Object.entries(node.childBreakers?.() ?? {})) {
            this.set({ node: child }, BREAKER_STATE_VALUE[breaker.state]);
          }
        }
      },
    });
  }
}
