import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NotificationReply, NotificationRefusal, ProviderNotification } from '#gateway-spi';
import type { Tree } from '#orchestration';
import { requestContext } from '../common/node-context.js';
import { GATEWAY_CONFIG, TREE } from '../common/tokens.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { type RequestTrace, traceLogFields } from '../logging/request-trace.js';
import { MetricsService } from '../metrics/index.js';
import { type AppliedFact, NotificationWrites } from './persistence/notification-writes.js';

export type ReceivedNotification =
  | { ok: true; reply: NotificationReply; facts: AppliedFact[] }
  | { ok: false; reason: NotificationRefusal | 'deferred'; message: string };

/**
 * A provider's notification, the tree in reverse: the node it was posted for (wherever it is,
 * remote subtrees included) verifies and normalizes it; each fact is applied once and committed
 * before the provider gets the answer it expects. Nothing is stored for a message that does not verify.
 */
@Injectable()
export class ReceiveNotification {
  private readonly logger = new Logger('Notifications');

  constructor(
    @Inject(TREE) private readonly tree: Tree,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly writes: NotificationWrites,
    private readonly metrics: MetricsService,
  ) {}

  async execute(notification: ProviderNotification, trace: RequestTrace): Promise<ReceivedNotification> {
    const answer = await this.tree.root.parseNotification(notification, requestContext(trace, this.config.requestTimeoutMs));
    if (!answer.ok) {
      this.metrics.recordNotification(this.tree.nodes.has(notification.nodeId) ? notification.nodeId : null, `refused_${answer.reason}`);
      this.logger.warn({ msg: `notification for ${notification.nodeId} refused (${answer.reason}): ${answer.message}`, ...traceLogFields(trace) });
      return answer;
    }
    const facts: AppliedFact[] = [];
    for (const fact of answer.facts) {
      const applied = await this.writes.apply(notification.nodeId, fact);
      this.metrics.recordNotification(notification.nodeId, applied.result);
      if (applied.result === 'unmatched') {
        this.logger.warn({ msg: `notification fact ${notification.nodeId}/${fact.eventId} (${fact.kind}) unmatched: ${applied.detail}`, ...traceLogFields(trace) });
      }
      facts.push(applied);
    }
    const deferred = facts.find((fact) => fact.result === 'deferred');
    // Not the provider's expected answer: it sends the message again, and what was applied now counts as duplicates then.
    if (deferred) return { ok: false, reason: 'deferred', message: deferred.detail };
    return { ok: true, reply: answer.reply, facts };
  }
}
