import type {
  AttemptAddress,
  AuthorizeRequest,
  CaptureRequest,
  CompleteActionRequest,
  Initiator,
  ProviderNotification,
  QuoteRequest,
  RefundRequest,
  StoredCredential,
  VoidRequest,
} from '#gateway-spi';
import { WIRE_VERSION, type FaultRequest, type MarketRequest, type WireRequest } from '../wire/protocol.js';

/** Light checks of what arrives over the wire; each returns the value, or a problem naming the field. */
type Parsed<T> = T | { problem: string };

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isTextMapping = (value: unknown): value is Record<string, string> => isMapping(value) && Object.values(value).every((item) => typeof item === 'string');
const isAmount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const oneOf = (value: unknown, allowed: readonly string[]) => typeof value === 'string' && allowed.includes(value);

const INITIATORS: readonly Initiator[] = ['customer', 'merchant'];

/** Absent, or `{ usage, model, networkTransactionId }` with the values the interface allows. */
function storedCredentialProblem(value: unknown): string | null {
  if (value === undefined) return null;
  if (!isMapping(value)) return 'storedCredential must be a mapping';
  if (!oneOf(value.usage, ['first', 'subsequent'] satisfies StoredCredential['usage'][])) return 'storedCredential.usage must be first or subsequent';
  if (!oneOf(value.model, ['unscheduled', 'recurring'] satisfies StoredCredential['model'][])) return 'storedCredential.model must be unscheduled or recurring';
  if (value.networkTransactionId !== null && !isText(value.networkTransactionId)) return 'storedCredential.networkTransactionId must be a non-empty string or null';
  return null;
}

export const MAX_BUDGET_MS = 120_000;

export function parseEnvelope(message: unknown): Parsed<WireRequest> {
  if (!isMapping(message)) return { problem: 'the request is not an envelope' };
  if (message.v !== WIRE_VERSION) return { problem: `wire version ${JSON.stringify(message.v)} is not ${WIRE_VERSION}` };
  if (typeof message.traceId !== 'string') return { problem: 'traceId must be a string' };
  if (typeof message.budgetMs !== 'number' || !Number.isFinite(message.budgetMs)) return { problem: 'budgetMs must be a number' };
  return { v: WIRE_VERSION, traceId: message.traceId, budgetMs: Math.min(message.budgetMs, MAX_BUDGET_MS), body: message.body };
}

export function parseAuthorize(body: unknown): Parsed<AuthorizeRequest> {
  if (!isMapping(body)) return { problem: 'authorize body must be a mapping' };
  for (const field of ['paymentId', 'attemptId', 'merchantId', 'currency'] as const) {
    if (!isText(body[field])) return { problem: `${field} must be a non-empty string` };
  }
  if (!isAmount(body.amount) || !isAmount(body.attemptSeq)) return { problem: 'amount and attemptSeq must be integers' };
  const method = body.paymentMethod;
  if (!isMapping(method) || !isMapping(method.card) || !isMapping(method.display)) return { problem: 'paymentMethod must carry card and display' };
  if (!isMapping(body.metadata)) return { problem: 'metadata must be a mapping' };
  if (body.initiator !== undefined && !oneOf(body.initiator, INITIATORS)) return { problem: `initiator must be one of ${INITIATORS.join(', ')}` };
  const stored = storedCredentialProblem(body.storedCredential);
  if (stored) return { problem: stored };
  if (body.cascadeOptIn !== undefined && typeof body.cascadeOptIn !== 'boolean') return { problem: 'cascadeOptIn must be a boolean' };
  if (body.cascadesSoFar !== undefined && !(Number.isSafeInteger(body.cascadesSoFar) && (body.cascadesSoFar as number) >= 0)) {
    return { problem: 'cascadesSoFar must be a non-negative integer' };
  }
  return body as unknown as AuthorizeRequest;
}

export function parseAddress(body: unknown): Parsed<AttemptAddress> {
  if (!isMapping(body)) return { problem: 'body must be a mapping' };
  if (!Array.isArray(body.path) || !body.path.every(isText)) return { problem: 'path must be a list of node ids' };
  if (!isText(body.attemptId)) return { problem: 'attemptId must be a non-empty string' };
  if (body.providerReference !== null && body.providerReference !== undefined && typeof body.providerReference !== 'string') {
    return { problem: 'providerReference must be a string or null' };
  }
  return { ...(body as unknown as AttemptAddress), providerReference: (body.providerReference as string | null | undefined) ?? null };
}

function parseOperation<T extends AttemptAddress>(body: unknown, withAmount: boolean): Parsed<T> {
  const address = parseAddress(body);
  if ('problem' in address) return address;
  const raw = body as Record<string, unknown>;
  if (!isText(raw.operationId)) return { problem: 'operationId must be a non-empty string' };
  if (withAmount && (!isAmount(raw.amount) || !isText(raw.currency))) return { problem: 'amount must be an integer and currency a string' };
  return { ...(raw as unknown as T), ...address };
}

export const parseCapture = (body: unknown) => parseOperation<CaptureRequest>(body, true);
export const parseRefund = (body: unknown) => parseOperation<RefundRequest>(body, true);
export const parseVoid = (body: unknown) => parseOperation<VoidRequest>(body, false);

export function parseCompleteAction(body: unknown): Parsed<CompleteActionRequest> {
  const address = parseAddress(body);
  if ('problem' in address) return address;
  const { returnData } = body as Record<string, unknown>;
  if (!isTextMapping(returnData)) return { problem: 'returnData must be a mapping of strings' };
  return { ...address, returnData };
}

export function parseNotification(body: unknown): Parsed<ProviderNotification> {
  if (!isMapping(body) || !isText(body.nodeId)) return { problem: 'nodeId must be a non-empty string' };
  if (typeof body.body !== 'string') return { problem: 'body must be the raw text of the notification' };
  if (!isTextMapping(body.headers)) return { problem: 'headers must be a mapping of strings' };
  return { nodeId: body.nodeId, body: body.body, headers: body.headers };
}

export function parseQuote(body: unknown): Parsed<QuoteRequest> {
  if (!isMapping(body)) return { problem: 'quote body must be a mapping' };
  if (!isAmount(body.amount) || !isText(body.currency) || !isText(body.method) || !isText(body.paymentId)) {
    return { problem: 'quote needs amount, currency, method and paymentId' };
  }
  if (body.initiator !== undefined && !oneOf(body.initiator, INITIATORS)) return { problem: `initiator must be one of ${INITIATORS.join(', ')}` };
  return body as unknown as QuoteRequest;
}

export function parseFault(body: unknown): Parsed<FaultRequest> {
  if (!isMapping(body) || !isText(body.nodeId)) return { problem: 'nodeId must be a non-empty string' };
  if (body.fault !== null && !(isMapping(body.fault) && typeof body.fault.mode === 'string')) return { problem: 'fault must be null or a mapping with a mode' };
  return body as unknown as FaultRequest;
}

/** The market itself is checked by the leaf (`setMarket`), which names each bad field. */
export function parseMarketRequest(body: unknown): Parsed<MarketRequest> {
  if (!isMapping(body) || !isText(body.nodeId)) return { problem: 'nodeId must be a non-empty string' };
  if (body.market !== null && !isMapping(body.market)) return { problem: 'market must be null or a mapping' };
  return body as unknown as MarketRequest;
}

export function parseNothing(): Parsed<Record<string, never>> {
  return {};
}
