import type { AuthorizeOutcome, OperationOutcome, Quote, StatusOutcome } from '#gateway-spi';
import type { FaultReply, HealthReply, SubtreeDescription } from '../wire/protocol.js';

/** Shape checks of answers from the wire: a node-host of another version must not corrupt a payment. */
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const oneOf = (value: unknown, allowed: readonly string[]) => typeof value === 'string' && allowed.includes(value);

export function isAuthorizeOutcome(value: unknown): value is AuthorizeOutcome {
  return (
    isObject(value) &&
    oneOf(value.outcome, ['approved', 'declined', 'failed', 'unknown']) &&
    typeof value.retryable === 'boolean' &&
    isStringList(value.path) &&
    Array.isArray(value.attempts) &&
    value.attempts.every((attempt) => isObject(attempt) && typeof attempt.attemptId === 'string' && isStringList(attempt.path))
  );
}

export function isOperationOutcome(value: unknown): value is OperationOutcome {
  return isObject(value) && oneOf(value.outcome, ['succeeded', 'failed', 'unknown']);
}

export function isStatusOutcome(value: unknown): value is StatusOutcome {
  return isObject(value) && oneOf(value.state, ['approved', 'declined', 'failed', 'not_found', 'unknown']);
}

export function isQuote(value: unknown): value is Quote {
  return isObject(value) && typeof value.eligible === 'boolean' && typeof value.fee === 'number' && isStringList(value.path);
}

export function isSubtreeDescription(value: unknown): value is SubtreeDescription {
  return isObject(value) && isObject(value.descriptor) && typeof value.descriptor.id === 'string' && isObject(value.descriptor.capabilities) && isObject(value.faults);
}

export function isHealthReply(value: unknown): value is HealthReply {
  return isObject(value) && isObject(value.report) && oneOf(value.report.status, ['up', 'degraded', 'down']) && isSubtreeDescription(value.described);
}

export function isFaultReply(value: unknown): value is FaultReply {
  return isObject(value) && typeof value.ok === 'boolean';
}
