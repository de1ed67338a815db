/** Pure mapping between the unified interface and Checkout v72: request → SDK params, SDK answer or error → outcome. */
import type { AttemptOutcome, AuthorizeRequest, CaptureRequest, OperationOutcome, RefundRequest, UnifiedCode } from '#gateway-spi';
import type {
  PaymentCancelRequest,
  PaymentCaptureRequest,
  PaymentRefundRequest,
  PaymentRequest,
  PaymentResponse,
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
}

/** An SDK call that produced no Adyen answer body, or an Adyen error body. */
export type AdyenFailure =
  | { kind: 'http'; status: number; errorCode: string | undefined; errorType: string | undefined; message: string; pspReference: string | null }
  | { kind: 'transport'; transport: 'refused' | 'reset'; message: string };

type RequestFields = Pick<AdyenOptions, 'merchantAccount' | 'returnUrl'>;

/**
 * The /payments body of an authorization. Capture now: `captureDelayHours: 0`; capture later:
 * `additionalData.manualCapture: "true"` (v72 has no "never" delay; that is Adyen's per-request
 * manual capture). `reference` is the attempt id, `merchantOrderReference` the payment id.
 */
export function paymentRequest(req: AuthorizeRequest, options: RequestFields): PaymentRequest {
  const { card } = req.paymentMethod;
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
    returnUrl: options.returnUrl,
    shopperInteraction: 'Ecommerce',
    ...(req.customerCountry ? { countryCode: req.customerCountry.toUpperCase() } : {}),
    metadata: { ...limitMetadata(req.metadata), canopy_payment_id: req.paymentId },
    ...(req.capture ? { captureDelayHours: 0 } : { additionalData: { manualCapture: 'true' } }),
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

export function captureRequest(req: CaptureRequest, options: RequestFields): PaymentCaptureRequest {
  return { merchantAccount: options.merchantAccount, amount: { value: req.amount, currency: req.currency.toUpperCase() }, reference: req.operationId };
}

export function cancelRequest(operationId: string, options: RequestFields): PaymentCancelRequest {
  return { merchantAccount: options.merchantAccount, reference: operationId };
}

export function refundRequest(req: RefundRequest, options: RequestFields): PaymentRefundRequest {
  return { merchantAccount: options.merchantAccount, amount: { value: req.amount, currency: req.currency.toUpperCase() }, reference: req.operationId };
}

const fromRow = (row: CodeRow, message: string | null): Omit<AdyenReply, 'providerReference' | 'amountCaptured'> => ({
  outcome: row.outcome,
  code: row.code,
  retryable: row.retryable,
  message,
});

/** A /payments answer as an authorize reply; `captured` is what was asked (capture now) when approved. */
export function replyFromPaymentResponse(res: PaymentResponse, requested: { amount: number; capture: boolean }): AdyenReply {
  const row = paymentResultRow(res.resultCode, res.refusalReasonCode, res.refusalReason);
  const reason = res.refusalReason ? `: ${res.refusalReason}` : '';
  const message = row.outcome === 'approved' ? null : `Adyen ${res.resultCode ?? 'answer without resultCode'}${reason} (${row.why})`;
  return {
    ...fromRow(row, message),
    providerReference: res.pspReference ?? null,
    amountCaptured: row.outcome === 'approved' && requested.capture ? (res.amount?.value ?? requested.amount) : 0,
  };
}

/** An SDK error (no answer, or an Adyen error body) as an authorize reply. */
export function replyFromFailure(failure: AdyenFailure): AdyenReply {
  const row = failure.kind === 'http' ? httpErrorRow(failure.status, failure.errorCode) : transportRow(failure.transport);
  const what = failure.kind === 'http' ? `Adyen HTTP ${failure.status}${failure.errorCode ? ` ${failure.errorCode}` : ''}: ${failure.message}` : `Adyen unreachable: ${failure.message}`;
  return { ...fromRow(row, `${what} (${row.why})`), providerReference: failure.kind === 'http' ? failure.pspReference : null, amountCaptured: 0 };
}

/** What the deadline did to a call: before anything was sent (nothing moved), or after. */
export function replyFromDeadline(sent: boolean): AdyenReply {
  const row = transportRow(sent ? 'deadline' : 'deadline-before-send');
  return { ...fromRow(row, `Adyen call ${sent ? 'unanswered at' : 'not sent: past'} the deadline (${row.why})`), providerReference: null, amountCaptured: 0 };
}

/** A modification's reply as an OperationOutcome: declined/failed → failed, approved → succeeded. */
export function operationFromReply(reply: AdyenReply): OperationOutcome {
  const outcome = reply.outcome === 'approved' ? 'succeeded' : reply.outcome === 'unknown' ? 'unknown' : 'failed';
  return { outcome, code: outcome === 'succeeded' ? null : reply.code, message: reply.message, providerReference: reply.providerReference };
}

/**
 * A modification Adyen took (201, `status: "received"`): `succeeded` means "accepted for processing";
 * its confirmation (CAPTURE / CANCELLATION / REFUND, or their _FAILED) comes by notification.
 */
export function operationReceived(res: { status?: string; pspReference?: string }): OperationOutcome {
  if (res.status !== 'received') {
    return { outcome: 'unknown', code: 'provider_unavailable', message: `Adyen answered status ${String(res.status)} to a modification`, providerReference: res.pspReference ?? null };
  }
  return { outcome: 'succeeded', code: null, message: null, providerReference: res.pspReference ?? null };
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
