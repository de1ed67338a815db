import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { BackgroundLoop } from '../common/background-loop.js';
import { GATEWAY_CONFIG } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { MetricsService } from '../metrics/index.js';
import { presentEvent } from '../payments/index.js';
import { type ClaimedDelivery, WebhookDeliveryStore } from './webhook-delivery.store.js';
import { openSecret, secretsKeys } from '../common/secret-box.js';
import { sendWebhook, type SendResult } from './webhook-sender.js';
import { MAX_DELIVERY_ATTEMPTS } from './retry-schedule.js';
import { signWebhook } from './webhook-signature.js';

/** Deliveries claimed (and sent in parallel) per round. */
export const DISPATCH_BATCH = 25;
/** Margin of the lease over the receiver timeout, for recording the result. */
const LEASE_MARGIN_MS = 60_000;

export interface DispatchSummary {
  claimed: number;
  delivered: number;
  retrying: number;
  failed: number;
  disabled: number;
  cancelled: number;
  /** Sent, but the result could not be recorded: redelivered once the lease expires. */
  unrecorded: number;
}

/**
 * Delivers the outbox. Each round leases due deliveries (FOR UPDATE SKIP LOCKED), sends them with
 * Standard Webhooks headers, and records each result under its lease. At least once: a process
 * that dies between a send and its record leaves the lease to expire, and the delivery is sent
 * again with the same `webhook-id`, which receivers use to drop the duplicate. A healthy receiver
 * gets each event once, as long as a send and its record take less than the lease
 * (receiver timeout + 60 s).
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private readonly loop: BackgroundLoop;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly store: WebhookDeliveryStore,
    private readonly metrics: MetricsService,
  ) {
    // A full batch means more is due: the next round starts at once.
    const round = async () => (await this.dispatchDue()).claimed === DISPATCH_BATCH;
    this.loop = new BackgroundLoop('dispatch round', config.webhooks.intervalMs, round, this.logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.loop.stop();
  }

  /** One round: claims what is due at `now` and delivers it. Tests call this directly. */
  async dispatchDue(now: Date = new Date()): Promise<DispatchSummary> {
    const { timeoutMs } = this.config.webhooks;
    const claims = await this.store.claimDue(now, timeoutMs + LEASE_MARGIN_MS, DISPATCH_BATCH);
    const startedAt = Date.now();
    const summary: DispatchSummary = { claimed: claims.length, delivered: 0, retrying: 0, failed: 0, disabled: 0, cancelled: 0, unrecorded: 0 };
    await Promise.all(
      claims.map(async (claim) => {
        const outcome = await this.deliver(claim, () => new Date(now.getTime() + Date.now() - startedAt));
        summary[outcome] += 1;
        this.metrics.recordWebhookDelivery(outcome);
      }),
    );
    return summary;
  }

  /** The endpoint's secret in clear, or why it cannot be opened (no key, wrong key): nothing is sent then. */
  private signingSecret(claim: ClaimedDelivery): string | Error {
    try {
      return openSecret(claim.endpoint.secret, secretsKeys(this.config));
    } catch (error) {
      return new Error(`cannot sign: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async deliver(claim: ClaimedDelivery, clock: () => Date): Promise<keyof Omit<DispatchSummary, 'claimed'>> {
    if (!claim.endpoint.active) {
      await this.store.cancel(claim, clock());
      return 'cancelled';
    }
    const body = JSON.stringify(presentEvent(claim.event));
    // The receiver checks the timestamp against its own clock: always the real time.
    const timestampSeconds = Math.floor(Date.now() / 1000);
    const secret = this.signingSecret(claim);
    const result: SendResult =
      secret instanceof Error
        ? { kind: 'retry', status: null, error: secret.message }
        : await sendWebhook(
            { url: claim.endpoint.url, id: claim.event.id, timestampSeconds, signature: signWebhook(secret, claim.event.id, timestampSeconds, body), body },
            { timeoutMs: this.config.webhooks.timeoutMs, allowPrivateNetworks: this.config.webhooks.allowPrivateNetworks ?? false },
          );
    try {
      const recorded = await this.store.recordResult(claim, result, clock());
      if (!recorded) {
        this.logger.warn(`delivery ${claim.id}: lease lost before its result was recorded; another dispatcher owns it`);
        return 'unrecorded';
      }
    } catch (error) {
      this.logger.error(
        `delivery ${claim.id}: sent (${describe(result)}) but not recorded; it is sent again when its lease expires: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return 'unrecorded';
    }
    if (result.kind === 'delivered') return 'delivered';
    if (result.kind === 'gone') return 'disabled';
    return claim.attempt >= MAX_DELIVERY_ATTEMPTS ? 'failed' : 'retrying';
  }
}

function describe(result: SendResult): string {
  return result.kind === 'retry' ? result.error : `${result.kind} ${result.status}`;
}
