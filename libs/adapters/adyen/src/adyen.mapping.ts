/** Pure mapping between the unified interface and Checkout v72: request → SDK params, SDK answer or error → outcome. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AttemptOutcome, AuthorizeRequest, CaptureRequest, NextAction, OperationOutcome, RefundRequest, StoredCredential, UnifiedCode } from '#gateway-spi';
import type {
  PaymentCancelRequest,
  PaymentCaptureRequest,
  PaymentDetailsRequest,
  PaymentDetailsResponse,
  PaymentRefundRequest,
  PaymentRequest,
  PaymentResponse,
  StandalonePaymentCancelRequest,
} from '@adyen/api-library/lib/src/typings/checkout/models.js';
import { httpErrorRow, paymentResultRow, transportRow, type CodeRow } from './adyen.codes.js';
import type { AdyenOptions } from './adyen.options.js';

/** What one authorize produced, before timing and path are added. */
export interface AdyenReply {
  outcome: AttemptOutcome;
  code: UnifiedCode | null;
  message: string | null;
  retryable: boolean;
  providerReference: string | null;
  amountCaptured: number;
  /** With `requires_action` only: where the shopper goes. */
  nextAction: NextAction | null;
  /** Approved with a stored credential: `additionalData.networkTxReference` (null when Adyen gave none). */
  networkTransactionId?: string | null;
}

/** An SDK call that produced no Adyen answer body, or an Adyen error body. */
export type AdyenFailure =
  | { kind: 'http'; status: number; errorCode: string | undefined; errorType: string | undefined; message: string; pspReference: string | null }
  | { kind: 'transport'; transport: 'refused' | 'reset'; message: string };

type RequestFields = Pick<AdyenOptions, 'merchantAccount' | 'returnUrl'>;

/**
 * The query parameter this leaf adds to the root's return URL (Adyen documents own parameters there;
 * they come back with the shopper): whether the attempt captures at once, so a completion still
 * reports the captured amount when the journal is gone (another process, a restart). The shopper
 * carries it and can edit it, and it decides money (the captured amount), so it is signed:
 * `now.<mac>` / `later.<mac>`, the mac an HMAC-SHA256 over attempt id and mode with the node's return
 * key. One that does not verify is ignored (capture mode unknown: nothing counted as captured).
 */
export const CAPTURE_MARKER = 'adyen_capture';

function markerMac(returnKey: Buffer, attemptId: string, mode: 'now' | 'later'): string {
  return createHmac('sha256', returnKey).update(`${attemptId}:${mode}`).digest('hex').slice(0, 32);
}

export function captureMarker(returnKey: Buffer, attemptId: string, capture: boolean): string {
  const mode = capture ? 'now' : 'later';
  return `${mode}.${markerMac(returnKey, attemptId, mode)}`;
}

/** The capture mode a returning shopper brought back, when its signature holds for this attempt; null: unknown. */
export function captureFromMarker(returnKey: Buffer, attemptId: string, marker: string | undefined): boolean | null {
  const match = /^(now|later)\.([0-9a-f]{32})$/.exec(marker ?? '');
  if (!match) return null;
  const mode = match[1] as 'now' | 'later';
  const expected = Buffer.from(markerMac(returnKey, attemptId, mode));
  const given = Buffer.from(match[2]!);
  return timingSafeEqual(expected, given) ? mode === 'now' : null;
}

export function returnUrlWithMarker(returnUrl: string, marker: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set(CAPTURE_MARKER, marker);
  return url.toString();
}

/** Checkout v72's `recurringProcessingModel` of a stored credential's model (the published enum). */
export const RECURRING_PROCESSING_MODEL: Readonly<Record<StoredCredential['model'], 'UnscheduledCardOnFile' | 'Subscription'>> = Object.freeze({
  unscheduled: 'UnscheduledCardOnFile',
  recurring: 'Subscription',
});

/** Whether a shopper can be sent to authenticate and come back: the root gave a return URL, and the payment is not merchant-initiated. */
export function shopperCanReturn(req: Pick<AuthorizeRequest, 'returnUrl' | 'initiator'>): boolean {
  return req.initiator !== 'merchant' && typeof req.returnUrl === 'string' && req.returnUrl.length > 0;
}

/** Why this leaf cannot send the stored credential as asked (nothing sent), or null. */
export function storedCredentialProblem(req: Pick<AuthorizeRequest, 'initiator' | 'storedCredential'>): string | null {
  const stored = req.storedCredential;
  if (!stored) return null;
  if (stored.usage === 'first' && req.initiator === 'merchant') return 'a first stored-credential payment is customer-initiated (the shopper agrees to store the card): initiator merchant cannot be one';
  if (stored.usage !== 'first' && stored.usage !== 'subsequent') return `storedCredential.usage ${String(stored.usage)} is not first or subsequent`;
  if (!Object.hasOwn(RECURRING_PROCESSING_MODEL, stored.model)) return `storedCredential.model ${String(stored.model)} is not unscheduled or recurring`;
  return null;
}

/**
 * The stored-credential fields of a /payments body. `first` (customer-initiated, the shopper agrees to
 * store the card): `shopperInteraction: Ecommerce` with the model's `recurringProcessingModel`
 * (`UnscheduledCardOnFile` / `Subscription`). `subsequent` merchant-initiated: `ContAuth`, the same
 * model, and the first payment's scheme id in `additionalData.networkTxReference` (any provider's: it
 * is the scheme's). `subsequent` with the shopper present (one-click): `ContAuth` with `CardOnFile`,
 * which Adyen may still authenticate. No stored credential: `Ecommerce`, as before. v72 has no request
 * field asking for the id back: Adyen answers `additionalData.networkTxReference` when the account
 * includes it (Customer Area › Developers › Additional data).
 */
export function storedCredentialFields(req: Pick<AuthorizeRequest, 'initiator' | 'storedCredential'>): {
  shopperInteraction: 'Ecommerce' | 'ContAuth';
  recurringProcessingModel?: 'CardOnFile' | 'Subscription' | 'UnscheduledCardOnFile';
  networkTxReference?: string;
} {
  const stored = req.storedCredential;
  if (!stored) return { shopperInteraction: 'Ecommerce' };
  if (stored.usage === 'first') return { shopperInteraction: 'Ecommerce', recurringProcessingModel: RECURRING_PROCESSING_MODEL[stored.model] };
  if (req.initiator !== 'merchant') return { shopperInteraction: 'ContAuth', recurringProcessingModel: 'CardOnFile' };
  return {
    shopperInteraction: 'ContAuth',
    recurringProcessingModel: RECURRING_PROCESSING_MODEL[stored.model],
    ...(stored.networkTransactionId ? { networkTxReference: stored.networkTransactionId } : {}),
  };
}

/**
 * The /payments body of an authorization. Capture now: `captureDelayHours: 0`; capture later:
 * `additionalData.manualCapture: "true"` (v72 has no "never" delay; that is Adyen's per-request
 * manual capture). `reference` is the attempt id, `merchantOrderReference` the payment id.
 * 3-D Secure: with the root's return URL, the redirect flavour (`nativeThreeDS: "disabled"`: no
 * SDK challenge in a page Canopy does not own); without one nobody can take the shopper anywhere,
 * so `attemptAuthentication: "never"` (Adyen declines what must be authenticated instead of asking);
 * a merchant-initiated payment is sent so too, whatever return URL it has: it never asks for the shopper.
 * Stored credentials: `storedCredentialFields`.
 */
export function paymentRequest(req: AuthorizeRequest, options: RequestFields, returnKey: Buffer): PaymentRequest {
  const { card } = req.paymentMethod;
  const shopperReturns = shopperCanReturn(req);
  const { networkTxReference, ...stored } = storedCredentialFields(req);
  const additionalData = { ...(req.capture ? {} : { manualCapture: 'true' }), ...(networkTxReference ? { networkTxReference } : {}) };
  const body = {
    merchantAccount: options.merchantAccount,
    reference: req.attemptId,
    merchantOrderReference: req.paymentId,
    amount: { value: req.amount, currency: req.currency.toUpperCase() },
    paymentMethod: {
      type: 'scheme',
      number: card.number,
      expiryMonth: String(card.expMonth).padStart(2, '0'),
      expiryYear: String(card.expYear),
      ...(card.cvc ? { cvc: card.cvc } : {}),
    },
    returnUrl: shopperReturns ? returnUrlWithMarker(req.returnUrl!, captureMarker(returnKey, req.attemptId, req.capture)) : options.returnUrl,
    authenticationData: shopperReturns ? { threeDSRequestData: { nativeThreeDS: 'disabled' } } : { attemptAuthentication: 'never' },
    ...stored,
    ...(req.customerCountry ? { countryCode: req.customerCountry.toUpperCase() } : {}),
    metadata: { ...limitMetadata(req.metadata), canopy_payment_id: req.paymentId },
    ...(req.capture ? { captureDelayHours: 0 } : {}),
    ...(Object.keys(additionalData).length > 0 ? { additionalData } : {}),
  };
  return body as unknown as PaymentRequest;
}

/** Adyen takes at most 20 metadata keys of 20 characters, values of 80. */
function limitMetadata(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata)
      .filter(([key]) => key.length <= 20)
      .slice(0, 19)
      .map(([key, value]) => [key, String(value).slice(0, 80)]),
  );
}

/**
 * The /payments body `status` replays under the attempt's idempotency key. It carries no card data:
 * Adyen answers a key it has stored with the stored answer, whatever the body; a key it has not
 * stored makes it process this body, which validation refuses (no card number), so it can never charge.
 */
export function statusProbeRequest(attemptId: string, options: RequestFields): PaymentRequest {
  const body = {
    merchantAccount: options.merchantAccount,
    reference: attemptId,
    amount: { value: 0, currency: 'EUR' },
    paymentMethod: { type: 'scheme' },
    returnUrl: options.returnUrl,
  };
  return body as unknown as PaymentRequest;
}

/** The /payments/details body of a shopper's return: the redirect result, nothing else. */
export function detailsRequest(redirectResult: string): PaymentDetailsRequest {
  return { details: { redirectResult } };
}

export function captureRequest(req: CaptureRequest, options: RequestFields): PaymentCaptureRequest {
  return { merchantAccount: options.merchantAccount, amount: { value: req.amount, currency: req.currency.toUpperCase() }, reference: req.operationId };
}

export function cancelRequest(operationId: string, options: RequestFields): PaymentCancelRequest {
  return { merchantAccount: options.merchantAccount, reference: operationId };
}

/**
 * `/cancels` by the payment's own `reference` (the attempt id): the cancel of a payment whose
 * pspReference is not known here (a RedirectShopper answer need not carry one).
 */
export function cancelByReferenceRequest(attemptId: string, operationId: string, options: RequestFields): StandalonePaymentCancelRequest {
  return { merchantAccount: options.merchantAccount, paymentReference: attemptId, reference: operationId };
}

export function refundRequest(req: RefundRequest, options: RequestFields): PaymentRefundRequest {
  return { merchantAccount: options.merchantAccount, amount: { value: req.amount, currency: req.currency.toUpperCase() }, reference: req.operationId };
}

const fromRow = (row: CodeRow, message: string | null): Omit<AdyenReply, 'providerReference' | 'amountCaptured' | 'nextAction'> => ({
  outcome: row.outcome,
  code: row.code,
  retryable: row.retryable,
  message,
});

/** What was asked, for reading Adyen's answer: the amount, capture now or not, and whether a shopper can return. */
export interface Requested {
  amount: number;
  capture: boolean;
  /** True when the root gave a return URL (a shopper can be sent to authenticate and come back); never for a merchant-initiated payment. */
  shopperReturns: boolean;
  /** Merchant-initiated: the shopper is not there to be asked. */
  merchantInitiated?: boolean;
  /** The payment carried a stored credential: an approval answers the network transaction id. */
  storedCredential?: boolean;
}

type AdyenAnswer = Pick<PaymentResponse | PaymentDetailsResponse, 'resultCode' | 'pspReference' | 'refusalReason' | 'refusalReasonCode' | 'amount' | 'additionalData'> & { action?: unknown };

/** Adyen's `additionalData.networkTxReference` (the Visa transaction id / Mastercard trace id), or null. */
export function networkTxReferenceOf(res: Pick<AdyenAnswer, 'additionalData'>): string | null {
  const value = res.additionalData?.['networkTxReference'];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * A /payments (or /payments/details) answer as an authorize reply; `captured` is what was asked
 * (capture now) when approved. A shopper action becomes `requires_action` only when it can be relayed
 * as a URL (`shopperAction`); otherwise it is declined `authentication_required`: nothing was charged.
 */
export function replyFromPaymentResponse(res: AdyenAnswer, requested: Requested): AdyenReply {
  const row = paymentResultRow(res.resultCode, res.refusalReasonCode, res.refusalReason);
  const providerReference = res.pspReference ?? null;
  if (row.outcome === 'requires_action') {
    const action = requested.merchantInitiated
      ? { why: 'Adyen asked for the shopper, but a merchant-initiated payment never asks for them (nothing charged)' }
      : shopperAction(res.action, requested.shopperReturns);
    if ('url' in action) {
      const message = `Adyen ${res.resultCode}: the shopper must authenticate (3-D Secure redirect)`;
      return { ...fromRow(row, message), providerReference, amountCaptured: 0, nextAction: { type: 'redirect_to_url', url: action.url } };
    }
    return { outcome: 'declined', code: 'authentication_required', retryable: false, message: `Adyen ${res.resultCode}: ${action.why}`, providerReference, amountCaptured: 0, nextAction: null };
  }
  const reason = res.refusalReason ? `: ${res.refusalReason}` : '';
  const message = row.outcome === 'approved' ? null : `Adyen ${res.resultCode ?? 'answer without resultCode'}${reason} (${row.why})`;
  return {
    ...fromRow(row, message),
    providerReference,
    amountCaptured: row.outcome === 'approved' && requested.capture ? (res.amount?.value ?? requested.amount) : 0,
    nextAction: null,
    ...(row.outcome === 'approved' && requested.storedCredential ? { networkTransactionId: networkTxReferenceOf(res) } : {}),
  };
}

/**
 * Where to send the shopper for Adyen's `action`, or why that cannot be done. Canopy can only send
 * the shopper to a URL: a GET redirect is that URL (its query included); a POST redirect (a form
 * with `data` the browser must post) or a native 3-D Secure action (the SDK's challenge in the
 * merchant's page) cannot be relayed, and without the root's return URL nobody could come back.
 */
export function shopperAction(action: unknown, shopperReturns: boolean): { url: string } | { why: string } {
  if (!shopperReturns) return { why: 'the shopper must authenticate, but no returnUrl was given: nobody can take the shopper there (nothing charged)' };
  const a = (action ?? {}) as { type?: unknown; method?: unknown; url?: unknown };
  if (a.type !== 'redirect') return { why: `Adyen asked for a ${String(a.type ?? 'missing')} action, not a redirect: Canopy can only send the shopper to a URL (nothing charged)` };
  if (String(a.method ?? 'GET').toUpperCase() !== 'GET') {
    return { why: `Adyen asked for a ${String(a.method)} redirect (a form the browser must post): Canopy can only send the shopper to a URL (nothing charged)` };
  }
  if (typeof a.url !== 'string' || !/^https?:\/\//.test(a.url)) return { why: 'Adyen asked for a redirect without an http(s) URL (nothing charged)' };
  return { url: a.url };
}

/** An SDK error (no answer, or an Adyen error body) as an authorize reply. */
export function replyFromFailure(failure: AdyenFailure): AdyenReply {
  const row = failure.kind === 'http' ? httpErrorRow(failure.status, failure.errorCode) : transportRow(failure.transport);
  const what = failure.kind === 'http' ? `Adyen HTTP ${failure.status}${failure.errorCode ? ` ${failure.errorCode}` : ''}: ${failure.message}` : `Adyen unreachable: ${failure.message}`;
  return { ...fromRow(row, `${what} (${row.why})`), providerReference: failure.kind === 'http' ? failure.pspReference : null, amountCaptured: 0, nextAction: null };
}

/** What the deadline did to a call: before anything was sent (nothing moved), or after. */
export function replyFromDeadline(sent: boolean): AdyenReply {
  const row = transportRow(sent ? 'deadline' : 'deadline-before-send');
  return { ...fromRow(row, `Adyen call ${sent ? 'unanswered at' : 'not sent: past'} the deadline (${row.why})`), providerReference: null, amountCaptured: 0, nextAction: null };
}

/** A modification's error (an Adyen error body, no answer, the deadline) as an OperationOutcome: unknown stays unknown, the rest failed. */
export function operationFromReply(reply: AdyenReply): OperationOutcome {
  const outcome = reply.outcome === 'unknown' ? 'unknown' : 'failed';
  return { outcome, code: reply.code, message: reply.message, providerReference: reply.providerReference };
}

/**
 * A modification Adyen took (201, `status: "received"`): accepted for processing and confirmed only by
 * notification (CAPTURE / CANCELLATION / REFUND, or a failure: success "false", CAPTURE_FAILED,
 * REFUND_FAILED), so `pending` when this node takes notifications. Without them (no `hmac_key_env`)
 * nothing could ever confirm it: `succeeded`, as the answer Adyen gives (a failure then shows only in
 * Adyen's Customer Area). `providerReference` is the modification's own pspReference.
 */
export function operationReceived(res: { status?: string; pspReference?: string }, notified: boolean): OperationOutcome {
  if (res.status !== 'received') {
    return { outcome: 'unknown', code: 'provider_unavailable', message: `Adyen answered status ${String(res.status)} to a modification`, providerReference: res.pspReference ?? null };
  }
  if (!notified) return { outcome: 'succeeded', code: null, message: 'Adyen received the modification (no hmac_key_env: no notification confirms it here)', providerReference: res.pspReference ?? null };
  return { outcome: 'pending', code: null, message: 'Adyen received the modification; it confirms it by notification', providerReference: res.pspReference ?? null };
}

export const refusedLocally = (message: string, code: UnifiedCode = 'processing_error'): OperationOutcome => ({ outcome: 'failed', code, message, providerReference: null });

interface SdkErrorShape {
  name?: string;
  message?: string;
  statusCode?: number;
  errorCode?: string;
  apiError?: { status?: number; errorCode?: string; errorType?: string; message?: string; pspReference?: string };
  responseBody?: string;
}

/** Classifies what the SDK threw: an Adyen error body (HttpClientException), or a transport error (ApiException / Error). */
export function classifySdkError(error: unknown): AdyenFailure {
  const e = (error ?? {}) as SdkErrorShape;
  // Only HttpClientException carries an HTTP answer; the SDK's ApiException wraps socket errors (with a default statusCode 500).
  const status = e.apiError?.status ?? e.statusCode;
  const answered = e.name === 'HttpClientException' || e.apiError !== undefined || e.responseBody !== undefined;
  if (answered && typeof status === 'number' && status >= 300) {
    let body = e.apiError;
    if (!body && e.responseBody) {
      try {
        body = JSON.parse(e.responseBody) as SdkErrorShape['apiError'];
      } catch {
        body = undefined;
      }
    }
    return {
      kind: 'http',
      status,
      errorCode: body?.errorCode ?? e.errorCode,
      errorType: body?.errorType,
      message: body?.message ?? `HTTP ${status}`,
      pspReference: body?.pspReference ?? null,
    };
  }
  const message = String(e.message ?? error);
  // Nothing reached Adyen: no connection, no such host, or the TLS handshake refused its certificate.
  const refused = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|certificate|CERT_|self[- ]signed|Protocol "?http/i.test(message);
  return { kind: 'transport', transport: refused ? 'refused' : 'reset', message: message.slice(0, 200) };
}
