import type { AuthorizeRequest } from '#gateway-spi';
import { maskCard } from '#gateway-spi';
import { PublishedSchemas } from '#provider-fakes';
import { describe, expect, it } from 'vitest';
import {
  CAPTURE_MARKER,
  RECURRING_PROCESSING_MODEL,
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
  shopperCanReturn,
  statusProbeRequest,
  storedCredentialProblem,
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

describe('adyen mapping: stored credentials (checked against the published PaymentRequest / PaymentResponse)', () => {
  const published = spec.document as { components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> } };
  const first = (model: 'unscheduled' | 'recurring') => ({ usage: 'first' as const, model, networkTransactionId: null });
  const mit = (model: 'unscheduled' | 'recurring', networkTransactionId: string | null) => ({ usage: 'subsequent' as const, model, networkTransactionId });

  it('the models are values of the published recurringProcessingModel enum; the interactions of shopperInteraction', () => {
    const fields = published.components.schemas.PaymentRequest!.properties;
    expect(fields.recurringProcessingModel!.enum).toEqual(expect.arrayContaining(Object.values(RECURRING_PROCESSING_MODEL)));
    expect(RECURRING_PROCESSING_MODEL).toEqual({ unscheduled: 'UnscheduledCardOnFile', recurring: 'Subscription' });
    expect(fields.shopperInteraction!.enum).toEqual(expect.arrayContaining(['Ecommerce', 'ContAuth']));
  });

  it('first (customer-initiated): Ecommerce with the model, the shopper may authenticate, no networkTxReference sent', () => {
    const body = paymentRequest(authorize({ storedCredential: first('unscheduled'), returnUrl: 'https://gw.example/r' }), options, RETURN_KEY);
    expect(body).toMatchObject({ shopperInteraction: 'Ecommerce', recurringProcessingModel: 'UnscheduledCardOnFile', authenticationData: { threeDSRequestData: { nativeThreeDS: 'disabled' } } });
    expect(body.additionalData).toEqual({ manualCapture: 'true' });
    expect(String(body.returnUrl)).toMatch(/^https:\/\/gw\.example\/r\?adyen_capture=/);
    expect(spec.problems('PaymentRequest', body)).toEqual([]);
    const recurring = paymentRequest(authorize({ storedCredential: first('recurring'), capture: true }), options, RETURN_KEY);
    expect(recurring).toMatchObject({ shopperInteraction: 'Ecommerce', recurringProcessingModel: 'Subscription', captureDelayHours: 0 });
    expect(recurring).not.toHaveProperty('additionalData');
    expect(spec.problems('PaymentRequest', recurring)).toEqual([]);
  });

  it('subsequent merchant-initiated: ContAuth, the model, the raw card, the first payment\'s id as networkTxReference; never the shopper\'s return', () => {
    const req = authorize({ initiator: 'merchant', storedCredential: mit('recurring', '483297487231504'), returnUrl: 'https://gw.example/r' });
    const body = paymentRequest(req, options, RETURN_KEY);
    expect(body).toMatchObject({
      shopperInteraction: 'ContAuth',
      recurringProcessingModel: 'Subscription',
      paymentMethod: { type: 'scheme', number: '4111111111111111', expiryMonth: '03', expiryYear: '2030' },
      additionalData: { manualCapture: 'true', networkTxReference: '483297487231504' },
      // No shopper to send anywhere: the configured URL fills the required field, and Adyen must not ask.
      returnUrl: options.returnUrl,
      authenticationData: { attemptAuthentication: 'never' },
    });
    expect(shopperCanReturn(req)).toBe(false);
    expect(spec.problems('PaymentRequest', body)).toEqual([]);
    const sale = paymentRequest(authorize({ initiator: 'merchant', storedCredential: mit('unscheduled', 'MCC123ABC0101'), capture: true }), options, RETURN_KEY);
    expect(sale).toMatchObject({ shopperInteraction: 'ContAuth', recurringProcessingModel: 'UnscheduledCardOnFile', captureDelayHours: 0, additionalData: { networkTxReference: 'MCC123ABC0101' } });
    expect(sale.additionalData).toEqual({ networkTxReference: 'MCC123ABC0101' });
    expect(spec.problems('PaymentRequest', sale)).toEqual([]);
    // The first payment's id unknown: sent without one (Adyen decides).
    const unknown = paymentRequest(authorize({ initiator: 'merchant', storedCredential: mit('unscheduled', null) }), options, RETURN_KEY);
    expect(unknown.additionalData).toEqual({ manualCapture: 'true' });
  });

  it('subsequent with the shopper present (one-click): ContAuth with CardOnFile, and the shopper may authenticate', () => {
    const body = paymentRequest(authorize({ storedCredential: mit('unscheduled', '483297487231504'), returnUrl: 'https://gw.example/r' }), options, RETURN_KEY);
    expect(body).toMatchObject({ shopperInteraction: 'ContAuth', recurringProcessingModel: 'CardOnFile', authenticationData: { threeDSRequestData: { nativeThreeDS: 'disabled' } } });
    expect(body.additionalData).toEqual({ manualCapture: 'true' });
    expect(spec.problems('PaymentRequest', body)).toEqual([]);
  });

  it('a merchant-initiated payment never gets the shopper\'s return URL, even without a stored credential; a first one cannot be merchant-initiated', () => {
    const body = paymentRequest(authorize({ initiator: 'merchant', returnUrl: 'https://gw.example/r' }), options, RETURN_KEY);
    expect(body).toMatchObject({ shopperInteraction: 'Ecommerce', returnUrl: options.returnUrl, authenticationData: { attemptAuthentication: 'never' } });
    expect(body).not.toHaveProperty('recurringProcessingModel');
    expect(storedCredentialProblem({ initiator: 'merchant', storedCredential: first('unscheduled') })).toContain('customer-initiated');
    expect(storedCredentialProblem({ initiator: 'merchant', storedCredential: mit('recurring', 'x') })).toBeNull();
    expect(storedCredentialProblem({ storedCredential: first('recurring') })).toBeNull();
    expect(storedCredentialProblem({ storedCredential: { usage: 'first', model: 'toString' as never, networkTransactionId: null } })).toContain('model');
  });

  it('an approval with a stored credential answers additionalData.networkTxReference as the network transaction id (null when absent); one-off payments do not', () => {
    const answer = { resultCode: 'Authorised', pspReference: 'P', additionalData: { networkTxReference: '777718270854480' } };
    expect(spec.problems('PaymentResponse', answer)).toEqual([]);
    const requested = { amount: 1000, capture: false, shopperReturns: false, storedCredential: true };
    expect(replyFromPaymentResponse(answer as never, requested)).toMatchObject({ outcome: 'approved', networkTransactionId: '777718270854480' });
    expect(replyFromPaymentResponse({ resultCode: 'Authorised', pspReference: 'P' } as never, requested)).toMatchObject({ outcome: 'approved', networkTransactionId: null });
    expect(replyFromPaymentResponse(answer as never, { ...requested, storedCredential: false })).not.toHaveProperty('networkTransactionId');
    const refused = { resultCode: 'Refused', refusalReason: 'Refused', refusalReasonCode: '2', pspReference: 'P' };
    expect(replyFromPaymentResponse(refused as never, requested)).not.toHaveProperty('networkTransactionId');
  });

  it('a shopper action Adyen asks for anyway on a merchant-initiated payment → declined authentication_required, never requires_action', () => {
    const get = { resultCode: 'RedirectShopper', pspReference: 'P', action: { type: 'redirect', method: 'GET', url: 'https://acs.example/c' } };
    const reply = replyFromPaymentResponse(get as never, { amount: 1, capture: false, shopperReturns: true, merchantInitiated: true, storedCredential: true });
    expect(reply).toMatchObject({ outcome: 'declined', code: 'authentication_required', retryable: false, nextAction: null, amountCaptured: 0 });
    expect(reply.message).toContain('merchant-initiated');
  });
});
