import { childContext, type GatewayNode, type NodeContext, type NotificationAnswer, type ProviderNotification } from '#gateway-spi';
import { ANSWER_GRACE_MS } from './failover.js';
import { settleWithin } from './scatter.js';

/**
 * Whether node `nodeId` lies in `node`'s subtree: `yes`; `maybe` when a remote subtree on the way was
 * never described (nobody here knows its nodes yet); else `no`.
 */
export type Reach = 'yes' | 'maybe' | 'no';

export function reachOf(node: GatewayNode, nodeId: string): Reach {
  if (node.id === nodeId || node.subtreeOps?.has(nodeId)) return 'yes';
  const kids = node.children?.() ?? [];
  if (kids.length === 0) {
    const described = node.describe();
    return described.kind === 'remote' && (described.children ?? []).length === 0 ? 'maybe' : 'no';
  }
  const below = kids.map((child) => reachOf(child, nodeId));
  return below.includes('yes') ? 'yes' : below.includes('maybe') ? 'maybe' : 'no';
}

/**
 * Hands a notification to `child` within `budgetMs`. A child that throws or does not answer makes it
 * `unreachable`: parsing changes nothing, so the provider may safely send it again.
 */
export function forwardNotification(child: GatewayNode, notification: ProviderNotification, ctx: NodeContext, budgetMs: number): Promise<NotificationAnswer> {
  const childCtx = childContext(ctx, budgetMs);
  let work: Promise<NotificationAnswer>;
  try {
    work = child.parseNotification(notification, childCtx);
  } catch (error) {
    work = Promise.reject(error);
  }
  const unreachable = (why: string): NotificationAnswer => ({ ok: false, reason: 'unreachable', message: `${child.id} did not take the notification for ${notification.nodeId} (${why})` });
  return settleWithin(work, childCtx.signal, unreachable, ANSWER_GRACE_MS);
}

/**
 * Of the answers of subtrees that might hold the node (`maybe`): the first that knows it; else
 * `unreachable` when one could not say (the provider retries), else `unknown_node`.
 */
export function firstKnowing(answers: readonly NotificationAnswer[], fallback: NotificationAnswer): NotificationAnswer {
  const refusedAs = (reason: string) => answers.find((answer) => !answer.ok && answer.reason === reason);
  return answers.find((answer) => answer.ok || (answer.reason !== 'unknown_node' && answer.reason !== 'unreachable')) ?? refusedAs('unreachable') ?? fallback;
}
