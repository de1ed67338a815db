import {
  UNIFIED_CODES,
  type AuthorizeOutcome,
  type HealthReport,
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
  const outcomes = ['approved', 'declined', 'failed', 'unknown'];
  const attempts: unknown[] = Array.isArray(o.attempts) ? o.attempts : [];
  return [
    ...problems(label, [
      [outcomes.includes(o.outcome), `outcome ${show(o.outcome)} is not one of ${outcomes.join(', ')}`],
      ...codeRules(o.code, o.outcome === 'approved', String(o.outcome)),
      [typeof o.retryable === 'boolean', 'retryable is not a boolean'],
      [!o.retryable || o.outcome === 'failed', `a ${o.outcome} outcome claims to be retryable: only a failure that proves no money moved is`],
      [isTextOrNull(o.message), 'message is neither a string nor null'],
      [isTextOrNull(o.providerReference), 'providerReference is neither a string nor null'],
      [isPath(o.path), `path ${show(o.path)} is not a non-empty list of node ids`],
      [isAmount(o.amountCaptured), `amountCaptured ${show(o.amountCaptured)} is not a non-negative integer`],
      [o.outcome === 'approved' || o.amountCaptured === 0, `a ${o.outcome} outcome captured ${o.amountCaptured}`],
      [Array.isArray(o.attempts), 'attempts is not a list'],
    ]),
    ...attempts.flatMap((a, i) => attemptShape(`${label}: attempts[${i}]`, a as AuthorizeOutcome['attempts'][number])),
  ];
}

function attemptShape(label: string, a: AuthorizeOutcome['attempts'][number]): string[] {
  return problems(label, [
    [typeof a.attemptId === 'string' && a.attemptId.length > 0, 'attemptId is not a non-empty string'],
    [Number.isSafeInteger(a.attemptSeq) && a.attemptSeq >= 1, `attemptSeq ${show(a.attemptSeq)} is not a positive integer`],
    [isPath(a.path), `path ${show(a.path)} is not a non-empty list of node ids`],
    [['approved', 'declined', 'failed', 'unknown'].includes(a.outcome), `outcome ${show(a.outcome)} is not an attempt outcome`],
    [isCode(a.code), `code ${show(a.code)} is not a unified code`],
    [typeof a.reason === 'string', 'reason is not a string'],
    [typeof a.latencyMs === 'number' && a.latencyMs >= 0, `latencyMs ${show(a.latencyMs)} is not a non-negative number`],
    [isTextOrNull(a.providerReference), 'providerReference is neither a string nor null'],
  ]);
}

export function operationShape(label: string, o: OperationOutcome): string[] {
  const outcomes = ['succeeded', 'failed', 'unknown'];
  return problems(label, [
    [outcomes.includes(o.outcome), `outcome ${show(o.outcome)} is not one of ${outcomes.join(', ')}`],
    ...codeRules(o.code, o.outcome === 'succeeded', String(o.outcome)),
    [isTextOrNull(o.message), 'message is neither a string nor null'],
    [isTextOrNull(o.providerReference), 'providerReference is neither a string nor null'],
  ]);
}

export function statusShape(label: string, s: StatusOutcome): string[] {
  const states = ['approved', 'declined', 'failed', 'not_found', 'unknown'];
  return problems(label, [
    [states.includes(s.state), `state ${show(s.state)} is not one of ${states.join(', ')}`],
    [isCode(s.code), `code ${show(s.code)} is not a unified code`],
    [isTextOrNull(s.providerReference), 'providerReference is neither a string nor null'],
    [isAmount(s.amountAuthorized) && isAmount(s.amountCaptured) && isAmount(s.amountRefunded), 'amounts are not non-negative integers'],
    [s.amountCaptured <= s.amountAuthorized, `captured ${s.amountCaptured} exceeds authorized ${s.amountAuthorized}`],
    [s.amountRefunded <= s.amountCaptured, `refunded ${s.amountRefunded} exceeds captured ${s.amountCaptured}`],
    [typeof s.voided === 'boolean', 'voided is not a boolean'],
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
