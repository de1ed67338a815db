/** What a payment needs from the shopper before its provider can decide (3-D Secure), and how it ends. */

import type { NodeContext } from './context.js';
import type { AttemptAddress, StatusOutcome } from './money-operations.js';

/** Send the shopper's browser to `url`; the provider sends them back to the authorize request's `returnUrl`. */
export interface NextAction {
  type: 'redirect_to_url';
  url: string;
}

export interface CompleteActionRequest extends AttemptAddress {
  /**
   * What came back with the shopper: the query and form fields of the return request (e.g. a
   * provider's redirect result). Empty when the merchant confirms without a return.
   */
  returnData: Record<string, string>;
}

/** A leaf that never asks for the shopper completes an action by telling where the attempt stands. */
export function completeByStatus(
  node: { status(request: AttemptAddress, ctx: NodeContext): Promise<StatusOutcome> },
  request: CompleteActionRequest,
  ctx: NodeContext,
): Promise<StatusOutcome> {
  return node.status({ path: request.path, attemptId: request.attemptId, providerReference: request.providerReference }, ctx);
}
