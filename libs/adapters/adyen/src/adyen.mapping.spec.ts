import type { AuthorizeRequest } from '#gateway-spi';
import { maskCard } from '#gateway-spi';
import { PublishedSchemas } from '#provider-fakes';
import { describe, expect, it } from 'vitest';
import {
  CAPTURE_MARKER,
  cancelByReferenceRequest,
  cancelRequest,
  captureFromMarker,
  captureMarker,
  captureRequest,
  classifySdkError,
  detailsRequest,
  operationFromReply,
  operationReceived,
  paymentRequest,
  refundRequest,
  replyFromDeadline,
  replyFromFailure,
  replyFromPaymentResponse,
  returnUrlWithMarker,
  shopperAction,
  statusProbeRequest,
} from './adyen.mapping.js';

const spec = new PublishedSchemas('adyen-CheckoutService-v72.json');
const options = { merchantAccount: 'CanopyTest', returnUrl: 'https://canopy.invalid/adyen/return' };
const RETURN_KEY = Buffer.from('return-key-for-tests');
const card = { number: '4111111111111111', expMonth: 3, expYear: 2030, cvc: '737' };

function authorize(over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return {
    paymentId: 'pay_abc',
    attemptId: 'att_abc_1',
    attemptSeq: 1,
    merchantId: 'm1',
    amount: 1000,
    currency: 'eur',
    capture: false,
    paymentMethod: { type: 'card', card, display: maskCard(card) },
    metadata: { order: 'o-1' },
    ...over,
  };
}

describe('adyen mapping: requests (checked against the published PaymentRequest & co.)', () => {
  it('authorize-only: raw card as scheme, reference = attempt id, merchantOrderReference = payment id, manualCapture', () => {
    const body = paymentRequest(authorize(), options, RETURN_KEY);
    expect(body).toMatchObject({
      merchantAccount: 'CanopyTest',
      reference: 'att_abc_1',
      merchantOrderReference: 'pay_abc',
      amount: { value: 1000, currency: 'EUR' },
      paymentMethod: { type: 'scheme', number: '4111111111111111', expiryMonth: '03', expiryYear: '2030', cvc: '737' },
      additionalData: { manualCapture: 'true' },
      metadata: { order: 'o-1', canopy_payment_id: 'pay_abc' },
    });
    expect(body).not.toHaveProperty('captureDelayHours');
    expect(spec.problems('PaymentRequest', body)).toEqual([]);
  });

  it('with the root\'s returnUrl: the redirect flavour of 3-D Secure 2, and the capture mode in the return URL', () => {
    const body = paymentRequest(authorize({ returnUrl: 'https://gw.example/v1/payments/pay_abc/return?t=1' }), options, RETURN_KEY);
    expect(body).toMatchObject({
      authenticationData: { threeDSRequestData: { nativeThreeDS: 'disabled' } },
    });
    const marker = new URL(String(body.returnUrl)).searchParams.get(CAPTURE_MARKER)!;
    expect(String(body.returnUrl)).toBe(`https://gw.example/v1/payments/pay_abc/return?t=1&adyen_capture=${marker}`);
    expect(marker).toMatch(/^later\.[0-9a-f]{32}$/);
    expect(spec.problems('PaymentRequest', body)).toEqual([]);
    expect(returnUrlWithMarker('https://gw.example/r', 'now.x')).toBe('https://gw.example/r?adyen_capture=now.x');
  });

  it('the capture mode in the return URL is signed: it verifies only for its attempt and key; edited or unsigned, it is unknown (null)', () => {
    const now = captureMarker(RETURN_KEY, 'att_abc_1', true);
    expect(captureFromMarker(RETURN_KEY, 'att_abc_1', now)).toBe(true);
    expect(captureFromMarker(RETURN_KEY, 'att_abc_1', captureMarker(RETURN_KEY, 'att_abc_1', false))).toBe(false);
    // The shopper edits the mode, keeps the mac; or brings another attempt's marker; or an unsigned one.
    expect(captureFromMarker(RETURN_KEY, 'att_abc_1', now.replace(/^now/, 'later'))).toBeNull();
    expect(captureFromMarker(RETURN_KEY, 'att_abc_2', now)).toBeNull();
    expect(captureFromMarker(RETURN_KEY, 'att_abc_1', 'now')).toBeNull();
    expect(captureFromMarker(RETURN_KEY, 'att_abc_1', undefined)).toBeNull();
    expect(captureFromMarker(Buffer.from('another key'), 'att_abc_1', now)).toBeNull();
  });

  it('a cancel by the payment reference conforms to the published StandalonePaymentCancelRequest', () => {
    const body = cancelByReferenceRequest('att_abc_1', 'att_abc_1.void', options);
    expect(body).toEqual({ merchantAccount: 'CanopyTest', paymentReference: 'att_abc_1', reference: 'att_abc_1.void' });
    expect(spec.problems('StandalonePaymentCancelRequest', body)).toEqual([]);
  });

  it('without a returnUrl: Adyen must not ask for the shopper (attemptAuthentication never), the option fills the required field', () => {
    const body = paymentRequest(authorize(), options, RETURN_KEY);
    expect(body).toMatchObject({ returnUrl: options.returnUrl, authenticationData: { attemptAuthentication: 'never' } });
    expect(spec.problems('PaymentRequest', body)).toEqual([]);
  });

  it('the /payments/details body carries the redirect result only', () => {
    const body = detailsRequest('X6XtfGC3!Y');
    expect(body).toEqual({ details: { redirectResult: 'X6XtfGC3!Y' } });
    expect(spec.problems('PaymentDetailsRequest', body)).toEqual([]);
  });

  it('sale: captureDelayHours 0, no manualCapture', () => {
    const body = paymentRequest(authorize({ capture: true, customerCountry: 'nl' }), options, RETURN_KEY);
    expect(body).toMatchObject({ captureDelayHours: 0, countryCode: 'NL' });
    expect(body).not.toHaveProperty('additionalData');
    expect(spec.problems('PaymentRequest', body)).toEqual([]);
  });

  it('the status probe carries no card data, and is still a PaymentRequest', () => {
    const probe = statusProbeRequest('att_abc_1', options);
    expect(JSON.stringify(probe)).not.toMatch(/4111|737|number/);
    expect(spec.problems('PaymentRequest', probe)).toEqual([]);
  });

  it('capture, cancel and refund bodies: amount, merchant account, the operation id as reference', () => {
    const address = { path: ['a'], attemptId: 'att_abc_1', providerReference: 'PSP1' };
    const capture = captureRequest({ ...address, operationId: 'cap_1', amount: 600, currency: 'eur' }, options);
    expect(capture).toEqual({ merchantAccount: 'CanopyTest', amount: { value: 600, currency: 'EUR' }, reference: 'cap_1' });
    expect(spec.problems('PaymentCaptureRequest', capture)).toEqual([]);
    const cancel = cancelRequest('void_1', options);
    expect(spec.problems('PaymentCancelRequest', cancel)).toEqual([]);
    const refund = refundRequest({ ...address, operationId: 're_1', amount: 100, currency: 'EUR' }, options);
    expect(spec.problems('PaymentRefundRequest', refund)).toEqual([]);
  });

  it('a request the spec refuses is caught (the check is not vacuous)', () => {
    expect(spec.problems('PaymentCaptureRequest', { merchantAccount: 'CanopyTest', amount: { value: '600', currency: 'EUR' } })).not.toEqual([]);
  });
});

describe('adyen mapping: answers', () => {
  it('Authorised → approved; captured only when captured now', () => {
    const res = { resultCode: 'Authorised', pspReference: 'PSP1', amount: { value: 1000, currency: 'EUR' } } as never;
    expect(replyFromPaymentResponse(res, { amount: 1000, capture: false, shopperReturns: true })).toEqual({ outcome: 'approved', code: null, message: null, retryable: false, providerReference: 'PSP1', amountCaptured: 0, nextAction: null });
    expect(replyFromPaymentResponse(res, { amount: 1000, capture: true, shopperReturns: true }).amountCaptured).toBe(1000);
  });

  it('Refused with a reason → declined with its code and the reason in the message', () => {
    const reply = replyFromPaymentResponse({ resultCode: 'Refused', refusalReason: 'Not enough balance', refusalReasonCode: '12', pspReference: 'P' } as never, { amount: 1, capture: false, shopperReturns: true });
    expect(reply).toMatchObject({ outcome: 'declined', code: 'insufficient_funds', retryable: false, providerReference: 'P' });
    expect(reply.message).toContain('Not enough balance');
  });

  it('RedirectShopper with a GET redirect → requires_action, the url with its query as nextAction', () => {
    const url = 'https://checkoutshopper-test.adyen.com/checkoutshopper/threeDS/redirect?MD=M2RzMkNoYWxsZW5nZQ&redirectData=abc';
    const res = { resultCode: 'RedirectShopper', pspReference: 'P3', action: { type: 'redirect', method: 'GET', url, paymentMethodType: 'scheme' } };
    expect(spec.problems('PaymentResponse', res)).toEqual([]);
    expect(replyFromPaymentResponse(res as never, { amount: 1000, capture: true, shopperReturns: true })).toMatchObject({
      outcome: 'requires_action',
      code: null,
      retryable: false,
      providerReference: 'P3',
      amountCaptured: 0,
      nextAction: { type: 'redirect_to_url', url },
    });
  });

  it('a shopper action Canopy cannot relay, or no returnUrl → declined authentication_required (nothing charged)', () => {
    const post = { resultCode: 'RedirectShopper', pspReference: 'P', action: { type: 'redirect', method: 'POST', url: 'https://acs.example/challenge', data: { MD: 'x', PaReq: 'y', TermUrl: 'z' } } };
    const reply = replyFromPaymentResponse(post as never, { amount: 1, capture: false, shopperReturns: true });
    expect(reply).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false, nextAction: null });
    expect(reply.message).toContain('POST redirect');
    const native = { resultCode: 'ChallengeShopper', pspReference: 'P', action: { type: 'threeDS2', token: 't' } };
    expect(replyFromPaymentResponse(native as never, { amount: 1, capture: false, shopperReturns: true })).toMatchObject({ outcome: 'declined', code: 'authentication_required' });
    const get = { resultCode: 'RedirectShopper', pspReference: 'P', action: { type: 'redirect', method: 'GET', url: 'https://acs.example/c' } };
    expect(replyFromPaymentResponse(get as never, { amount: 1, capture: false, shopperReturns: false }).message).toContain('no returnUrl');
    expect(shopperAction({ type: 'redirect', method: 'GET', url: 'javascript:alert(1)' }, true)).toHaveProperty('why');
  });

  it('a refused challenge (3D Not Authenticated) → declined authentication_failed; authentication required stays its own code', () => {
    const refused = { resultCode: 'Refused', refusalReason: '3D Not Authenticated', refusalReasonCode: '11', pspReference: 'P', merchantReference: 'att_abc_1' };
    expect(spec.problems('PaymentDetailsResponse', refused)).toEqual([]);
    expect(replyFromPaymentResponse(refused as never, { amount: 1, capture: false, shopperReturns: true })).toMatchObject({ outcome: 'declined', code: 'authentication_failed' });
    const required = { resultCode: 'Refused', refusalReason: 'Authentication required', refusalReasonCode: '38', pspReference: 'P' };
    expect(replyFromPaymentResponse(required as never, { amount: 1, capture: false, shopperReturns: false })).toMatchObject({ outcome: 'declined', code: 'authentication_required' });
  });

  it('an answer without pspReference has no provider reference (a renamed field would show here)', () => {
    const renamed = { resultCode: 'Authorised', pspReferense: 'PSP1' } as never;
    expect(replyFromPaymentResponse(renamed, { amount: 1, capture: false, shopperReturns: true }).providerReference).toBeNull();
  });

  it('errors: Adyen error bodies by status/errorCode, transport by what happened', () => {
    const http = (status: number, errorCode?: string) => classifySdkError({ name: 'HttpClientException', statusCode: status, apiError: { status, errorCode, message: 'm', errorType: 'validation' } });
    expect(replyFromFailure(http(401))).toMatchObject({ outcome: 'failed', code: 'provider_unavailable', retryable: true });
    expect(replyFromFailure(http(422, '129'))).toMatchObject({ outcome: 'failed', code: 'processing_error', retryable: true });
    expect(replyFromFailure(http(422, '704'))).toMatchObject({ outcome: 'unknown', retryable: false });
    expect(replyFromFailure(http(500))).toMatchObject({ outcome: 'unknown', code: 'provider_unavailable' });
    expect(replyFromFailure(classifySdkError({ name: 'HttpClientException', statusCode: 502, responseBody: '<html>' }))).toMatchObject({ outcome: 'unknown' });
    // The SDK's ApiException wraps socket errors with a default statusCode of 500: not an HTTP answer.
    expect(classifySdkError({ name: 'ApiException', statusCode: 500, message: 'connect ECONNREFUSED 127.0.0.1:9' })).toMatchObject({ kind: 'transport', transport: 'refused' });
    expect(classifySdkError({ name: 'ApiException', statusCode: 500, message: 'unable to verify the first certificate' })).toMatchObject({ transport: 'refused' });
    expect(classifySdkError({ name: 'ApiException', statusCode: 500, message: 'socket hang up' })).toMatchObject({ transport: 'reset' });
    expect(classifySdkError(new Error('The connection was terminated while the message was still being sent'))).toMatchObject({ transport: 'reset' });
    expect(replyFromDeadline(false)).toMatchObject({ outcome: 'failed', code: 'provider_timeout', retryable: true });
    expect(replyFromDeadline(true)).toMatchObject({ outcome: 'unknown', code: 'provider_timeout', retryable: false });
  });

  it('modifications: received → pending with notifications, succeeded without (nothing could confirm it); anything else is not claimed', () => {
    expect(operationReceived({ status: 'received', pspReference: 'M1' }, true)).toMatchObject({ outcome: 'pending', code: null, providerReference: 'M1' });
    expect(operationReceived({ status: 'received', pspReference: 'M1' }, false)).toMatchObject({ outcome: 'succeeded', code: null, providerReference: 'M1' });
    expect(operationReceived({ status: 'other' } as never, true).outcome).toBe('unknown');
    expect(operationReceived({ status: 'other' } as never, false).outcome).toBe('unknown');
    expect(operationFromReply(replyFromDeadline(true)).outcome).toBe('unknown');
    expect(operationFromReply(replyFromFailure(classifySdkError({ name: 'HttpClientException', statusCode: 422, apiError: { status: 422, errorCode: '167' } }))).outcome).toBe('failed');
  });
});
