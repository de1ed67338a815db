/** The Checkout calls this leaf makes, on the official SDK (@adyen/api-library, Checkout v72), one client per node. */
import { request as httpRequest } from 'node:http';
import adyen from '@adyen/api-library';
import type { IRequest } from '@adyen/api-library/lib/src/typings/requestOptions.js';
import type {
  PaymentCancelRequest,
  PaymentCancelResponse,
  PaymentCaptureRequest,
  PaymentCaptureResponse,
  PaymentDetailsRequest,
  PaymentDetailsResponse,
  PaymentRefundRequest,
  PaymentRefundResponse,
  PaymentRequest,
  PaymentResponse,
  StandalonePaymentCancelRequest,
  StandalonePaymentCancelResponse,
} from '@adyen/api-library/lib/src/typings/checkout/models.js';
import type { AdyenOptions } from './adyen.options.js';

/** Per call: the idempotency key (always) and the caller's deadline as an AbortSignal. */
export interface CallOptions {
  idempotencyKey: string;
  signal: AbortSignal;
}

/** The Checkout calls this leaf makes, injectable (a test passes its own; `createAdyenCheckout` wraps the SDK). */
export interface AdyenCheckout {
  payments(body: PaymentRequest, call: CallOptions): Promise<PaymentResponse>;
  /** `/payments/details`: what the shopper brought back from a redirect (`details.redirectResult`). */
  paymentsDetails(body: PaymentDetailsRequest, call: CallOptions): Promise<PaymentDetailsResponse>;
  capture(pspReference: string, body: PaymentCaptureRequest, call: CallOptions): Promise<PaymentCaptureResponse>;
  cancel(pspReference: string, body: PaymentCancelRequest, call: CallOptions): Promise<PaymentCancelResponse>;
  refund(pspReference: string, body: PaymentRefundRequest, call: CallOptions): Promise<PaymentRefundResponse>;
  /** `/cancels` by the payment's merchant reference (`paymentReference`), for a payment whose pspReference is not known. */
  cancelByReference(body: StandalonePaymentCancelRequest, call: CallOptions): Promise<StandalonePaymentCancelResponse>;
}

/** Upper bound of one call at the socket; the caller's deadline (the signal) normally ends it first. */
export const SOCKET_TIMEOUT_MS = 30_000;

const requestOptions = (call: CallOptions): IRequest.Options => ({ idempotencyKey: call.idempotencyKey, signal: call.signal });

/** The SDK's services with `baseUrl` pointed at `api_base` when set (the SDK has no endpoint option). */
export function createAdyenCheckout(options: AdyenOptions, apiKey: string): AdyenCheckout {
  const client = new adyen.Client({
    apiKey,
    environment: options.environment === 'live' ? adyen.EnvironmentEnum.LIVE : adyen.EnvironmentEnum.TEST,
    ...(options.liveUrlPrefix ? { liveEndpointUrlPrefix: options.liveUrlPrefix } : {}),
    connectionTimeoutMillis: SOCKET_TIMEOUT_MS,
    applicationName: 'canopy',
  });
  // The SDK's own transport speaks HTTPS only; a plain http:// base gets a minimal client of the same contract.
  if (options.apiBase?.startsWith('http://')) client.httpClient = new PlainHttpClient();
  const checkout = new adyen.CheckoutAPI(client);
  const payments = checkout.PaymentsApi;
  const modifications = checkout.ModificationsApi;
  if (options.apiBase) {
    for (const service of [payments, modifications]) (service as unknown as { baseUrl: string }).baseUrl = `${options.apiBase}/v72`;
  }
  return {
    payments: (body, call) => payments.payments(body, requestOptions(call)),
    paymentsDetails: (body, call) => payments.paymentsDetails(body, requestOptions(call)),
    capture: (psp, body, call) => modifications.captureAuthorisedPayment(psp, body, requestOptions(call)),
    cancel: (psp, body, call) => modifications.cancelAuthorisedPaymentByPspReference(psp, body, requestOptions(call)),
    refund: (psp, body, call) => modifications.refundCapturedPayment(psp, body, requestOptions(call)),
    cancelByReference: (body, call) => modifications.cancelAuthorisedPayment(body, requestOptions(call)),
  };
}

/**
 * The SDK's `ClientInterface` over plain HTTP (for an `api_base` of http://, e.g. a local fake without
 * TLS): the same headers (X-API-Key, Idempotency-Key, JSON) and the same errors (HttpClientException
 * carrying Adyen's error body), so the mapping cannot tell which transport ran.
 */
class PlainHttpClient {
  request(endpoint: string, json: string | Buffer, config: { apiKey?: string; connectionTimeoutMillis?: number }, _apiKeyRequired: boolean, options: IRequest.Options = {}): Promise<string> {
    const url = new URL(endpoint);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-api-key': config.apiKey ?? '' };
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: options.method ?? 'POST', headers, signal: options.signal, timeout: config.connectionTimeoutMillis },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('error', reject);
          res.on('end', () => {
            if (!res.complete) return reject(new Error('The connection was terminated while the message was still being sent'));
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(body);
            let apiError: Record<string, unknown> | undefined;
            try {
              apiError = JSON.parse(body) as Record<string, unknown>;
            } catch {
              apiError = undefined;
            }
            reject(new adyen.HttpClientException({ message: `HTTP Exception: ${status}`, statusCode: status, errorCode: apiError?.errorCode as string | undefined, responseBody: body, apiError: apiError as never }));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('socket hang up')));
      req.on('error', (error) => reject(error));
      req.end(json);
    });
  }
}
