import { NOTIFICATION_FACT_KINDS, type AuthorizeOutcome, type NotificationAnswer, type OperationOutcome, type Quote, type StatusOutcome } from '#gateway-spi';
import type { FaultReply, HealthReply, MarketReply, SubtreeDescription } from '../wire/protocol.js';

/** Shape checks of answers from the wire: a node-host of another version must not corrupt a payment. */
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const oneOf = (value: unknown, allowed: readonly string[]) => typeof value === 'string' && allowed.includes(value);
const isTextOrNull = (value: unknown) => value === null || typeof value === 'string';
/** Absent, null, or where to send the shopper. */
const isNextAction = (value: unknown) => value === undefined || value === null || (isObject(value) && value.type === 'redirect_to_url' && typeof value.url === 'string');

export function isAuthorizeOutcome(value: unknown): value is AuthorizeOutcome {
  return (
    isObject(value) &&
    oneOf(value.outcome, ['approved', 'declined', 'failed', 'unknown', 'requires_action']) &&
    typeof value.retryable === 'boolean' &&
    isNextAction(value.nextAction) &&
    (value.networkTransactionId === undefined || isTextOrNull(value.networkTransactionId)) &&
    isStringList(value.path) &&
    Array.isArray(value.attempts) &&
    value.attempts.every((attempt) => isObject(attempt) && typeof attempt.attemptId === 'string' && isStringList(attempt.path))
  );
}

export function isOperationOutcome(value: unknown): value is OperationOutcome {
  return isObject(value) && oneOf(value.outcome, ['succeeded', 'failed', 'pending', 'unknown']);
}

export function isStatusOutcome(value: unknown): value is StatusOutcome {
  return isObject(value) && oneOf(value.state, ['approved', 'declined', 'failed', 'not_found', 'unknown', 'requires_action']) && isNextAction(value.nextAction);
}

function isNotificationFact(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.eventId === 'string' &&
    oneOf(value.kind, NOTIFICATION_FACT_KINDS) &&
    isTextOrNull(value.attemptId) &&
    isTextOrNull(value.operationId) &&
    isTextOrNull(value.providerReference) &&
    (value.amount === null || Number.isSafeInteger(value.amount)) &&
    isTextOrNull(value.currency) &&
    (value.captured === undefined || typeof value.captured === 'boolean') &&
    isTextOrNull(value.code) &&
    isTextOrNull(value.message)
  );
}

const NOTIFICATION_REFUSALS = ['bad_signature', 'malformed', 'not_supported', 'unknown_node', 'unreachable'];

export function isNotificationAnswer(value: unknown): value is NotificationAnswer {
  if (!isObject(value)) return false;
  if (value.ok === false) return oneOf(value.reason, NOTIFICATION_REFUSALS) && typeof value.message === 'string';
  const { reply } = value;
  return (
    value.ok === true &&
    Array.isArray(value.facts) &&
    value.facts.every(isNotificationFact) &&
    isObject(reply) &&
    Number.isInteger(reply.status) &&
    typeof reply.contentType === 'string' &&
    typeof reply.body === 'string'
  );
}

export function isQuote(value: unknown): value is Quote {
  return isObject(value) && typeof value.eligible === 'boolean' && typeof value.fee === 'number' && isStringList(value.path);
}

export function isSubtreeDescription(value: unknown): value is SubtreeDescription {
  return isObject(value) && isObject(value.descriptor) && typeof value.descriptor.id === 'string' && isObject(value.descriptor.capabilities) && isObject(value.faults) && (value.markets === undefined || isObject(value.markets));
}

export function isHealthReply(value: unknown): value is HealthReply {
  return isObject(value) && isObject(value.report) && oneOf(value.report.status, ['up', 'degraded', 'down']) && isSubtreeDescription(value.described);
}

export function isFaultReply(value: unknown): value is FaultReply {
  return isObject(value) && typeof value.ok === 'boolean';
}

export function isMarketReply(value: unknown): value is MarketReply {
  if (!isObject(value)) return false;
  if (value.ok === true) return value.market === null || isObject(value.market);
  return value.ok === false && oneOf(value.reason, ['not_found', 'not_supported', 'invalid', 'unreachable']) && typeof value.message === 'string';
}
