import {
  NOTIFICATION_FACT_KINDS,
  UNIFIED_CODES,
  type AuthorizeOutcome,
  type HealthReport,
  type NotificationAnswer,
  type NotificationFact,
  type OperationOutcome,
  type Quote,
  type StatusOutcome,
} from '#gateway-spi';
import { show } from './findings.js';

/** The answer types of the node interface, and what each field may hold. Problems are plain sentences. */

const isCode = (code: unknown) => code === null || (UNIFIED_CODES as readonly unknown[]).includes(code);
const isAmount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const isPath = (value: unknown) => Array.isArray(value) && value.length > 0 && value.every((id) => typeof id === 'string' && id.length > 0);
const isTextOrNull = (value: unknown) => value === null || typeof value === 'string';
const isText = (value: unknown) => typeof value === 'string' && value.length > 0;
const ATTEMPT_OUTCOMES = ['approved', 'declined', 'failed', 'unknown', 'requires_action'];

/** Where a shopper's browser can go: an absolute http(s) URL. */
export function isShopperUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

/** A next action is present exactly when the answer waits for the shopper, and is a redirect to an absolute http(s) URL. */
function nextActionRules(nextAction: unknown, waiting: boolean, optional: boolean): Array<[boolean, string]> {
  if (!waiting) return [[nextAction === undefined || nextAction === null, `nextAction ${show(nextAction)} is set, but the answer does not wait for the shopper`]];
  if (optional && (nextAction === undefined || nextAction === null)) return [];
  const action = (typeof nextAction === 'object' && nextAction !== null ? nextAction : {}) as Record<string, unknown>;
  return [
    [action.type === 'redirect_to_url', `nextAction ${show(nextAction)} is not { type: 'redirect_to_url', url }`],
    [isShopperUrl(action.url), `nextAction.url ${show(action.url)} is not an absolute http(s) URL`],
  ];
}

function problems(label: string, rules: ReadonlyArray<[boolean, string]>): string[] {
  return rules.filter(([ok]) => !ok).map(([, problem]) => `${label}: ${problem}`);
}

function codeRules(code: unknown, settled: boolean, answer: string): Array<[boolean, string]> {
  return [
    [isCode(code), `code ${show(code)} is not a unified code (${UNIFIED_CODES.join(', ')})`],
    [settled ? code === null : code !== null, settled ? `a ${answer} answer carries code ${show(code)} instead of null` : `a ${answer} answer names no unified code`],
  ];
}

export function authorizeShape(label: string, o: AuthorizeOutcome): string[] {
  const attempts: unknown[] = Array.isArray(o.attempts) ? o.attempts : [];
  const waiting = o.outcome === 'requires_action';
  return [
    ...problems(label, [
      [ATTEMPT_OUTCOMES.includes(o.outcome), `outcome ${show(o.outcome)} is not one of ${ATTEMPT_OUTCOMES.join(', ')}`],
      ...codeRules(o.code, o.outcome === 'approved' || waiting, String(o.outcome)),
      [typeof o.retryable === 'boolean', 'retryable is not a boolean'],
      [!o.retryable || o.outcome === 'failed', `a ${o.outcome} outcome claims to be retryable: only a failure that proves no money moved is`],
      [isTextOrNull(o.message), 'message is neither a string nor null'],
      [isTextOrNull(o.providerReference), 'providerReference is neither a string nor null'],
      [isPath(o.path), `path ${show(o.path)} is not a non-empty list of node ids`],
      [isAmount(o.amountCaptured), `amountCaptured ${show(o.amountCaptured)} is not a non-negative integer`],
      [o.outcome === 'approved' || o.amountCaptured === 0, `a ${o.outcome} outcome captured ${o.amountCaptured}`],
      [Array.isArray(o.attempts), 'attempts is not a list'],
      [!waiting || isText(o.providerReference), 'a requires_action outcome carries no provider reference: completeAction needs it'],
      [
        o.networkTransactionId === undefined || o.networkTransactionId === null || isText(o.networkTransactionId),
        `networkTransactionId ${show(o.networkTransactionId)} is neither a non-empty string nor null`,
      ],
      ...nextActionRules(o.nextAction, waiting, false),
    ]),
    ...attempts.flatMap((a, i) => attemptShape(`${label}: attempts[${i}]`, a as AuthorizeOutcome['attempts'][number])),
  ];
}

function attemptShape(label: string, a: AuthorizeOutcome['attempts'][number]): string[] {
  return problems(label, [
    [typeof a.attemptId === 'string' && a.attemptId.length > 0, 'attemptId is not a non-empty string'],
    [Number.isSafeInteger(a.attemptSeq) && a.attemptSeq >= 1, `attemptSeq ${show(a.attemptSeq)} is not a positive integer`],
    [isPath(a.path), `path ${show(a.path)} is not a non-empty list of node ids`],
    [ATTEMPT_OUTCOMES.includes(a.outcome), `outcome ${show(a.outcome)} is not an attempt outcome`],
    [isCode(a.code), `code ${show(a.code)} is not a unified code`],
    [typeof a.reason === 'string', 'reason is not a string'],
    [typeof a.latencyMs === 'number' && a.latencyMs >= 0, `latencyMs ${show(a.latencyMs)} is not a non-negative number`],
    [isTextOrNull(a.providerReference), 'providerReference is neither a string nor null'],
  ]);
}

export function operationShape(label: string, o: OperationOutcome): string[] {
  const outcomes = ['succeeded', 'pending', 'failed', 'unknown'];
  return problems(label, [
    [outcomes.includes(o.outcome), `outcome ${show(o.outcome)} is not one of ${outcomes.join(', ')}`],
    // A pending operation was accepted: nothing went wrong, so there is no code to give.
    ...codeRules(o.code, o.outcome === 'succeeded' || o.outcome === 'pending', String(o.outcome)),
    [isTextOrNull(o.message), 'message is neither a string nor null'],
    [isTextOrNull(o.providerReference), 'providerReference is neither a string nor null'],
  ]);
}

export function statusShape(label: string, s: StatusOutcome): string[] {
  const states = ['approved', 'declined', 'failed', 'not_found', 'unknown', 'requires_action'];
  const waiting = s.state === 'requires_action';
  return problems(label, [
    [states.includes(s.state), `state ${show(s.state)} is not one of ${states.join(', ')}`],
    [isCode(s.code), `code ${show(s.code)} is not a unified code`],
    [isTextOrNull(s.providerReference), 'providerReference is neither a string nor null'],
    [isAmount(s.amountAuthorized) && isAmount(s.amountCaptured) && isAmount(s.amountRefunded), 'amounts are not non-negative integers'],
    [s.amountCaptured <= s.amountAuthorized, `captured ${s.amountCaptured} exceeds authorized ${s.amountAuthorized}`],
    [s.amountRefunded <= s.amountCaptured, `refunded ${s.amountRefunded} exceeds captured ${s.amountCaptured}`],
    [typeof s.voided === 'boolean', 'voided is not a boolean'],
    [!waiting || (s.amountAuthorized === 0 && s.amountCaptured === 0 && s.amountRefunded === 0 && !s.voided), 'an attempt that waits for the shopper (requires_action) reports money moved or a void'],
    ...nextActionRules(s.nextAction, waiting, true),
  ]);
}

export function notificationShape(label: string, a: NotificationAnswer): string[] {
  if (a.ok === false) {
    const reasons = ['bad_signature', 'malformed', 'not_supported', 'unknown_node', 'unreachable'];
    return problems(label, [
      [reasons.includes(a.reason), `reason ${show(a.reason)} is not one of ${reasons.join(', ')}`],
      [isText(a.message), 'a refusal has no message'],
    ]);
  }
  const facts: unknown[] = Array.isArray(a.facts) ? a.facts : [];
  const reply = (typeof a.reply === 'object' && a.reply !== null ? a.reply : {}) as Record<string, unknown>;
  const eventIds = facts.map((fact) => (fact as NotificationFact).eventId);
  return [
    ...problems(label, [
      [a.ok === true, `ok ${show(a.ok)} is not a boolean`],
      [Array.isArray(a.facts), 'facts is not a list'],
      [new Set(eventIds).size === eventIds.length, `facts share event ids ${show(eventIds)}: the root applies one fact per event id`],
      [Number.isSafeInteger(reply.status) && (reply.status as number) >= 200 && (reply.status as number) < 300, `reply.status ${show(reply.status)} is not a 2xx status: the provider would send the message again`],
      [isText(reply.contentType), `reply.contentType ${show(reply.contentType)} is not a non-empty string`],
      [typeof reply.body === 'string', 'reply.body is not a string'],
    ]),
    ...facts.flatMap((fact, i) => factShape(`${label}: facts[${i}]`, fact as NotificationFact)),
  ];
}

function factShape(label: string, f: NotificationFact): string[] {
  return problems(label, [
    [isText(f.eventId), `eventId ${show(f.eventId)} is not a non-empty string`],
    [(NOTIFICATION_FACT_KINDS as readonly unknown[]).includes(f.kind), `kind ${show(f.kind)} is not one of ${NOTIFICATION_FACT_KINDS.join(', ')}`],
    [isTextOrNull(f.attemptId) && isTextOrNull(f.operationId) && isTextOrNull(f.providerReference), 'attemptId, operationId and providerReference must each be a string or null'],
    [f.amount === null || isAmount(f.amount), `amount ${show(f.amount)} is neither null nor a non-negative integer`],
    [f.currency === null || (typeof f.currency === 'string' && /^[A-Z]{3}$/.test(f.currency)), `currency ${show(f.currency)} is neither null nor an upper-case ISO 4217 code`],
    [(f.amount === null) === (f.currency === null), 'amount and currency come together (both set or both null)'],
    [f.captured === undefined || typeof f.captured === 'boolean', 'captured is not a boolean'],
    [isCode(f.code), `code ${show(f.code)} is not a unified code`],
    [isTextOrNull(f.message), 'message is neither a string nor null'],
  ]);
}

export function quoteShape(label: string, q: Quote): string[] {
  return problems(label, [
    [typeof q.eligible === 'boolean', 'eligible is not a boolean'],
    [isAmount(q.fee), `fee ${show(q.fee)} is not a non-negative integer`],
    [isPath(q.path), `path ${show(q.path)} is not a non-empty list of node ids`],
    [typeof q.reason === 'string' && q.reason.length > 0, 'reason is not a non-empty string'],
  ]);
}

export function healthShape(label: string, h: HealthReport): string[] {
  const children: unknown[] = Array.isArray(h.children) ? h.children : [];
  return [
    ...problems(label, [
      [typeof h.id === 'string' && h.id.length > 0, 'id is not a non-empty string'],
      [['up', 'degraded', 'down'].includes(h.status), `status ${show(h.status)} is not up, degraded or down`],
      [h.partial === undefined || typeof h.partial === 'boolean', 'partial is not a boolean'],
      [h.detail === undefined || typeof h.detail === 'string', 'detail is not a string'],
      [h.children === undefined || Array.isArray(h.children), 'children is not a list'],
    ]),
    ...children.flatMap((child, i) => healthShape(`${label}: children[${i}]`, child as HealthReport)),
  ];
}
