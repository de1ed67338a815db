import type { AuthorizeOutcome, AuthorizeRequest } from './money-operations.js';

/** What one attempt on a leaf produced: the outcome's own fields, and how long the attempt took. */
export type LeafAnswer = Omit<AuthorizeOutcome, 'path' | 'attempts'> & {
  latencyMs: number;
  /** Why the attempt went to this leaf, as the attempt records it; routers above add theirs. Default ''. */
  reason?: string;
};

/** The outcome of a single attempt on node `nodeId`: its path is `[nodeId]`, its one attempt the request's. */
export function leafOutcome(nodeId: string, request: Pick<AuthorizeRequest, 'attemptId' | 'attemptSeq'>, answer: LeafAnswer): AuthorizeOutcome {
  const { outcome, code, message, retryable, providerReference, amountCaptured, latencyMs, reason = '', nextAction, networkTransactionId } = answer;
  return {
    ...(nextAction !== undefined && { nextAction }),
    ...(networkTransactionId !== undefined && { networkTransactionId }),
    outcome,
    code,
    message,
    retryable,
    providerReference,
    path: [nodeId],
    amountCaptured,
    attempts: [{ attemptId: request.attemptId, attemptSeq: request.attemptSeq, path: [nodeId], outcome, code, reason, latencyMs, providerReference }],
  };
}
