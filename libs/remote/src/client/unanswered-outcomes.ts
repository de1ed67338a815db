import {
  leafOutcome,
  type AuthorizeOutcome,
  type AuthorizeRequest,
  type OperationOutcome,
  type StatusOutcome,
  statusWithoutMoney,
  type UnifiedCode,
} from '#gateway-spi';
import type { Exchange } from './node-host-channel.js';

/** An exchange that produced no result. */
export type Unanswered = Exclude<Exchange<unknown>, { kind: 'reply' }>;

type Verdict = { moved: 'no'; code: UnifiedCode; message: string } | { moved: 'maybe'; code: UnifiedCode; message: string };

/**
 * Whether money may have moved when a call got no result, and the unified code that says why. Only
 * a request that provably never reached the subtree (or that the node-host refused before acting)
 * is "no money moved"; a lost or late answer is unknown, like a provider timeout.
 */
export function verdictOf(failure: Unanswered, target: string): Verdict {
  switch (failure.kind) {
    case 'not-delivered': {
      const late = failure.why.startsWith('the deadline passed');
      const code: UnifiedCode = late ? 'provider_timeout' : 'provider_unavailable';
      return { moved: 'no', code, message: `remote ${target}: ${failure.why}; the request was not delivered, nothing was done` };
    }
    case 'no-reply':
      return { moved: 'maybe', code: 'provider_timeout', message: `remote ${target}: ${failure.why}; the subtree may have acted: ask for status` };
    case 'refused': {
      const { kind, message } = failure.error;
      if (kind === 'node_error') return { moved: 'maybe', code: 'processing_error', message: `remote ${target} failed while handling the call (${message}); it may have acted: ask for status` };
      const code: UnifiedCode = kind === 'shutting_down' ? 'provider_unavailable' : 'processing_error';
      return { moved: 'no', code, message: `remote ${target} refused the call (${kind}: ${message}); nothing was done` };
    }
  }
}

/** An authorize without a result: failed and retryable when nothing moved, else unknown (status settles it). */
export function unansweredAuthorize(remoteId: string, req: AuthorizeRequest, failure: Unanswered, target: string, latencyMs: number): AuthorizeOutcome {
  const verdict = verdictOf(failure, target);
  return leafOutcome(remoteId, req, {
    outcome: verdict.moved === 'no' ? 'failed' : 'unknown',
    code: verdict.code,
    message: verdict.message,
    retryable: verdict.moved === 'no',
    providerReference: null,
    amountCaptured: 0,
    latencyMs,
  });
}

export function unansweredOperation(failure: Unanswered, target: string): OperationOutcome {
  const verdict = verdictOf(failure, target);
  return { outcome: verdict.moved === 'no' ? 'failed' : 'unknown', code: verdict.code, message: verdict.message, providerReference: null };
}

/** A status inquiry without an answer proves nothing either way. */
export function unansweredStatus(failure: Unanswered, target: string): StatusOutcome {
  return statusWithoutMoney('unknown', verdictOf(failure, target).code);
}
