/**
 * A wire-level fake of Adyen's Checkout API v72 (test/fake code only), on FakeProviderServer over HTTPS
 * with the test CA. Stateful: payments by pspReference, answers by Idempotency-Key (a replayed key gets
 * the stored answer; a key in flight gets 422 errorCode 704), Adyen's ServiceError bodies, 3-D Secure 2
 * by redirect (its own challenge page, `/payments/details`), stored credentials (an approval of a payment
 * with a `recurringProcessingModel`, by `/payments` or `/payments/details`, answers an invented
 * `additionalData.networkTxReference`; a ContAuth
 * merchant-initiated one is never challenged; `FakePayment.storedCredential` keeps what came), and
 * standard notifications signed with the webhook's HMAC key. Every answer is typed with the SDK's own models, so a misnamed field does not compile.
 */
import { createHash, randomBytes } from 'node:crypto';
import adyen from '@adyen/api-library';
import type {
  PaymentCancelResponse,
  PaymentCaptureResponse,
  PaymentDetailsResponse,
  PaymentRefundResponse,
  PaymentResponse,
  ServiceError,
  StandalonePaymentCancelResponse,
} from '@adyen/api-library/lib/src/typings/checkout/models.js';
import type { NotificationSample, SignedNotification } from '#gateway-spi';
import { FakeProviderServer, type FakeReply, type FakeRequest } from '#provider-fakes';
import { ShopperPages } from './adyen.shopper-page.js';
import { WebhookDeliveries, notificationBody, signedItem, type ItemFields, type SentNotification, type Webhook } from './adyen.webhook.js';

const { checkout } = adyen.Types;
const ResultCode = checkout.PaymentResponse.ResultCodeEnum;
const Received = checkout.PaymentCaptureResponse.StatusEnum.Received;

type CardScript =
  | { kind: 'authorise' }
  | { kind: 'authorise-then-hang' }
  | { kind: 'refuse'; refusalReasonCode: string; refusalReason: string }
  /** 3-D Secure 2 with a challenge; `then`: what the issuer answers once the shopper completed it. */
  | { kind: 'challenge'; then: 'authorise' | 'refuse' };

/**
 * Cards the fake honours. 4111 1111 1111 1111 and 5555 5555 5555 4444 are Adyen's documented test
 * cards; 4917 6100 0000 0000 is Adyen's 3-D Secure 2 test Visa (a challenge, approved once completed).
 * Adyen's sandbox triggers refusals by holder name and challenge refusals by a wrong password, which
 * the unified card has no field for, so the refusals, the lost reply and the 3-D Secure variants are
 * fake-only numbers (the simulator's), declared in the contract fixture's cards.
 */
export const ADYEN_FAKE_CARDS: Readonly<Record<string, CardScript>> = Object.freeze({
  '4111111111111111': { kind: 'authorise' },
  '5555555555554444': { kind: 'authorise' },
  '4242424242424242': { kind: 'authorise' },
  '4000000000000002': { kind: 'refuse', refusalReasonCode: '2', refusalReason: 'Refused' },
  '4000000000009995': { kind: 'refuse', refusalReasonCode: '12', refusalReason: 'Not enough balance' },
  '4000000000000069': { kind: 'refuse', refusalReasonCode: '6', refusalReason: 'Expired Card' },
  '4000000000000119': { kind: 'refuse', refusalReasonCode: '4', refusalReason: 'Acquirer Error' },
  '4000000000000101': { kind: 'authorise-then-hang' },
  '4917610000000000': { kind: 'challenge', then: 'authorise' },
  '4000000000003220': { kind: 'challenge', then: 'authorise' },
  '4000008400001629': { kind: 'challenge', then: 'refuse' },
  // Frictionless: authenticated without the shopper, so simply authorised.
  '4000000000003055': { kind: 'authorise' },
});

/** The refusal of a challenge the shopper failed or the issuer refused (Adyen's refusal reason 11). */
const NOT_AUTHENTICATED = { refusalReasonCode: '11', refusalReason: '3D Not Authenticated' };

export interface FakePayment {
  pspReference: string;
  reference: string;
  merchantAccount: string;
  amount: { value: number; currency: string };
  resultCode: string;
  /** Authorised with captureDelayHours: 0 (captured at once) or manualCapture (captured later). */
  capturedAtOnce: boolean;
  /** Modifications received (201), in order, with what their notification said. */
  modifications: Array<{ kind: 'capture' | 'cancel' | 'refund'; pspReference: string; amount: number; reference: string | null; success: boolean }>;
  /** `shopperInteraction` as received (Adyen assumes Ecommerce when absent). */
  shopperInteraction: string;
  /** True when the fake answered a shopper action (a 3-D Secure redirect or native challenge). */
  shopperAsked: boolean;
  /** The stored-credential fields received (no card data) and the network transaction id answered; null: a one-off payment. */
  storedCredential: FakeStoredCredential | null;
}

/**
 * What a stored-credential payment brought (`recurringProcessingModel`, `additionalData.networkTxReference`)
 * and what the fake answered, so a test can assert that a merchant-initiated payment arrived as one.
 */
export interface FakeStoredCredential {
  recurringProcessingModel: string;
  /** ContAuth with Subscription or UnscheduledCardOnFile: merchant-initiated (no 3-D Secure, as Adyen does for MITs). */
  merchantInitiated: boolean;
  /** `additionalData.networkTxReference` received: the first payment's scheme id (a MIT's link); null when absent. */
  receivedNetworkTxReference: string | null;
  /** `additionalData.networkTxReference` the fake answered on approval (invented); null while not approved. */
  networkTxReference: string | null;
}

/** How the next modification of a kind fails by notification: Adyen's *_FAILED event, or its own event with success "false". */
export type FailureStyle = 'failed_event' | 'success_false';

export interface AdyenFake {
  /** The Checkout API origin (`api_base`). */
  readonly url: string;
  /** The origin of the 3-D Secure page (plain HTTP). */
  readonly shopperUrl: string;
  readonly server: FakeProviderServer;
  readonly payments: ReadonlyMap<string, FakePayment>;
  /** The payment sent with this `reference` (Canopy's attempt id), if any. */
  paymentByReference(reference: string): FakePayment | undefined;
  /** Requests received, bodies parsed. */
  bodies(path: string | RegExp): unknown[];
  /** Where notifications go from now on, signed with this hex HMAC key (Adyen's Customer Area webhook). */
  registerWebhook(webhook: Webhook): void;
  /** Every notification written, in order (delivered or not): exact body and headers, to replay. */
  notifications(): readonly SentNotification[];
  /** The next capture is received (201) and then fails by notification. */
  failNextCapture(style?: FailureStyle): void;
  /** The next refund is received (201) and then fails by notification. */
  failNextRefund(style?: FailureStyle): void;
  /** The next cancel is received (201) and then fails by notification (CANCELLATION success "false"). */
  failNextCancel(): void;
  /** Writes and signs (with the webhook's key) a notification about `sample`, as Adyen would send it. */
  notification(sample: NotificationSample): SignedNotification;
  close(): Promise<void>;
}

export interface AdyenFakeOptions {
  apiKey: string;
  merchantAccount: string;
  currencies?: readonly string[];
  /** HTTPS with the test CA (default), or plain HTTP (to exercise an `api_base` of http://). */
  tls?: boolean;
  /** Hex HMAC key for notifications before (or without) `registerWebhook`. */
  hmacKey?: string;
  /** Delay between delivery attempts of a notification not answered `[accepted]` (default 100 ms). */
  retryMs?: number;
}

const psp = () => randomBytes(8).toString('hex').toUpperCase();

/** An invented scheme transaction id, 15 digits like the Visa transaction ids Adyen relays (e.g. the spec's `777718270854480`). */
const networkTxReference = () => String(randomBytes(8).readBigUInt64BE() % 10n ** 15n).padStart(15, '0');

/** Checkout v72's models that make a ContAuth payment merchant-initiated (the published `networkTxReference` description). */
const MIT_MODELS: ReadonlySet<string> = new Set(['Subscription', 'UnscheduledCardOnFile']);

/** The stored-credential fields of a /payments body; null without a `recurringProcessingModel` (a one-off payment). */
function storedCredentialOf(body: Record<string, any>): FakeStoredCredential | null {
  if (typeof body.recurringProcessingModel !== 'string') return null;
  const received = body.additionalData?.networkTxReference;
  return {
    recurringProcessingModel: body.recurringProcessingModel,
    merchantInitiated: body.shopperInteraction === 'ContAuth' && MIT_MODELS.has(body.recurringProcessingModel),
    receivedNetworkTxReference: typeof received === 'string' && received.length > 0 ? received : null,
    networkTxReference: null,
  };
}

export function serviceError(status: number, errorCode: string, message: string, errorType: string): FakeReply {
  const body: ServiceError = { status, errorCode, message, errorType, pspReference: psp() };
  return { status, body };
}

export async function startAdyenFake(options: AdyenFakeOptions): Promise<AdyenFake> {
  const payments = new Map<string, FakePayment>();
  const answers = new Map<string, FakeReply>();
  const inFlight = new Set<string>();
  /** What the issuer answers after each waiting challenge (by pspReference; never the card number). */
  const challengeThen = new Map<string, 'authorise' | 'refuse'>();
  const currencies = options.currencies ?? ['EUR', 'GBP', 'USD'];
  const pages = await ShopperPages.start();
  const webhooks = new WebhookDeliveries(options.hmacKey ?? null, options.retryMs ?? 100);
  const failNext: { capture: FailureStyle | null; refund: FailureStyle | null; cancel: boolean } = { capture: null, refund: null, cancel: false };
  const item = (fields: Omit<ItemFields, 'merchantAccount'>): ItemFields => ({ ...fields, merchantAccount: options.merchantAccount });

  const handle = (request: FakeRequest): FakeReply => {
    if (request.headers['x-api-key'] !== options.apiKey) return serviceError(401, '000', 'HTTP Status Response - Unauthorized', 'security');
    if (request.method !== 'POST') return serviceError(405, '905', 'Method not allowed', 'validation');
    let body: Record<string, any>;
    try {
      body = JSON.parse(request.body || '{}') as Record<string, any>;
    } catch {
      return serviceError(400, '702', 'Unable to parse the request body', 'validation');
    }
    if (request.path === '/v72/payments/details') return details(body);
    if (body.merchantAccount !== options.merchantAccount) return serviceError(403, '901', 'Invalid Merchant Account', 'security');
    if (request.path === '/v72/payments') return authorise(body);
    if (request.path === '/v72/cancels') return cancelByReference(body);
    const modification = /^\/v72\/payments\/([^/]+)\/(captures|cancels|refunds)$/.exec(request.path);
    if (modification) return modify(decodeURIComponent(modification[1]!), modification[2] as 'captures' | 'cancels' | 'refunds', body);
    return serviceError(404, '000', `No such endpoint ${request.path}`, 'validation');
  };

  const authorisationNotice = (payment: FakePayment, refusalReason?: string): void => {
    webhooks.notify([item({ eventCode: 'AUTHORISATION', success: payment.resultCode === ResultCode.Authorised, pspReference: payment.pspReference, merchantReference: payment.reference, amount: payment.amount, reason: refusalReason })]);
  };

  const authorise = (body: Record<string, any>): FakeReply => {
    const card = body.paymentMethod ?? {};
    if (typeof card.number !== 'string' || card.number.length === 0) return serviceError(422, '129', "Required field 'paymentMethod.number' is not provided", 'validation');
    const amount = body.amount ?? {};
    if (!Number.isSafeInteger(amount.value) || amount.value <= 0 || !currencies.includes(amount.currency)) {
      return serviceError(422, '137', 'Invalid amount specified', 'validation');
    }
    const script = ADYEN_FAKE_CARDS[card.number] ?? { kind: 'refuse', refusalReasonCode: '8', refusalReason: 'Invalid Card Number' };
    const storedCredential = storedCredentialOf(body);
    const pspReference = psp();
    const base = { pspReference, merchantReference: String(body.reference), amount: { value: amount.value, currency: amount.currency } };
    // A merchant-initiated payment is out of 3-D Secure's scope: Adyen authorises it without the shopper.
    const challenged = script.kind === 'challenge' && !storedCredential?.merchantInitiated;
    let answer: PaymentResponse;
    if (script.kind === 'refuse') answer = { ...base, resultCode: ResultCode.Refused, refusalReason: script.refusalReason, refusalReasonCode: script.refusalReasonCode };
    else if (challenged) answer = challenge(body, base);
    else answer = { ...base, resultCode: ResultCode.Authorised };
    if (answer.resultCode === ResultCode.Authorised && storedCredential) {
      storedCredential.networkTxReference = networkTxReference();
      answer.additionalData = { networkTxReference: storedCredential.networkTxReference };
    }
    const payment: FakePayment = {
      pspReference,
      reference: String(body.reference),
      merchantAccount: String(body.merchantAccount),
      amount: base.amount,
      resultCode: String(answer.resultCode),
      capturedAtOnce: body.captureDelayHours === 0,
      modifications: [],
      shopperInteraction: typeof body.shopperInteraction === 'string' ? body.shopperInteraction : 'Ecommerce',
      shopperAsked: answer.action !== undefined,
      storedCredential,
    };
    payments.set(pspReference, payment);
    if (script.kind === 'challenge' && challenged) challengeThen.set(pspReference, script.then);
    if (answer.resultCode === ResultCode.Authorised || answer.resultCode === ResultCode.Refused) authorisationNotice(payment, answer.refusalReason);
    return { status: 200, body: answer, ...(script.kind === 'authorise-then-hang' ? { then: 'hang' as const } : {}) };
  };

  /**
   * 3-D Secure 2 as Adyen decides it from the request: `attemptAuthentication: "never"` → refused
   * (authentication required); `nativeThreeDS: "preferred"` → a native challenge (a threeDS2 action
   * for the SDK); otherwise the redirect flow: RedirectShopper, GET to the fake's challenge page.
   */
  const challenge = (body: Record<string, any>, base: { pspReference: string; merchantReference: string; amount: { value: number; currency: string } }): PaymentResponse => {
    const authentication = body.authenticationData ?? {};
    if (authentication.attemptAuthentication === 'never') return { ...base, resultCode: ResultCode.Refused, refusalReasonCode: '38', refusalReason: 'Authentication required' };
    if (authentication.threeDSRequestData?.nativeThreeDS === 'preferred') {
      return { ...base, resultCode: ResultCode.ChallengeShopper, action: { type: checkout.CheckoutThreeDS2Action.TypeEnum.ThreeDs2, paymentMethodType: 'scheme', subtype: 'challenge', token: randomBytes(16).toString('base64') } };
    }
    const url = pages.open({ pspReference: base.pspReference, returnUrl: String(body.returnUrl), amount: base.amount });
    // v72 requires neither pspReference nor amount in a PaymentResponse; a RedirectShopper answer carries only the merchant reference.
    return { merchantReference: base.merchantReference, resultCode: ResultCode.RedirectShopper, action: { type: checkout.CheckoutRedirectAction.TypeEnum.Redirect, paymentMethodType: 'scheme', url, method: 'GET' } };
  };

  /** The shopper's redirect result → the issuer's answer. A result is used once: Adyen refuses it again. */
  const details = (body: Record<string, any>): FakeReply => {
    const redirectResult = body.details?.redirectResult;
    if (typeof redirectResult !== 'string' || redirectResult.length === 0) return serviceError(422, '14_002', "Required field 'details.redirectResult' is not provided", 'validation');
    const done = pages.results.get(redirectResult);
    if (!done) return serviceError(422, '14_018', 'Invalid payload provided', 'validation');
    const payment = payments.get(done.pspReference)!;
    if (payment.resultCode !== ResultCode.RedirectShopper) return serviceError(422, '14_018', 'Invalid payload provided: this redirect result was already used', 'validation');
    const authorised = done.answer === 'complete' && challengeThen.get(payment.pspReference) !== 'refuse';
    payment.resultCode = authorised ? ResultCode.Authorised : ResultCode.Refused;
    if (authorised && payment.storedCredential) payment.storedCredential.networkTxReference = networkTxReference();
    const stored = payment.storedCredential?.networkTxReference ? { additionalData: { networkTxReference: payment.storedCredential.networkTxReference } } : {};
    const answer: PaymentDetailsResponse = authorised
      ? { pspReference: payment.pspReference, merchantReference: payment.reference, resultCode: checkout.PaymentDetailsResponse.ResultCodeEnum.Authorised, amount: payment.amount, ...stored }
      : { pspReference: payment.pspReference, merchantReference: payment.reference, resultCode: checkout.PaymentDetailsResponse.ResultCodeEnum.Refused, amount: payment.amount, ...NOT_AUTHENTICATED };
    authorisationNotice(payment, authorised ? undefined : NOT_AUTHENTICATED.refusalReason);
    return { status: 200, body: answer };
  };

  /**
   * `/cancels` by the payment's `reference` (`paymentReference`): 201 received, then a TECHNICAL_CANCEL
   * notification (what Adyen's docs name for it), failed when no payment of the account has that reference.
   */
  const cancelByReference = (body: Record<string, any>): FakeReply => {
    if (typeof body.paymentReference !== 'string' || body.paymentReference.length === 0) return serviceError(422, '100', "Required field 'paymentReference' is not provided", 'validation');
    const payment = [...payments.values()].find((candidate) => candidate.reference === body.paymentReference && candidate.merchantAccount === body.merchantAccount);
    const pspReference = psp();
    const reference = body.reference ? String(body.reference) : null;
    const answer: StandalonePaymentCancelResponse = { merchantAccount: String(body.merchantAccount), paymentReference: body.paymentReference, pspReference, status: checkout.StandalonePaymentCancelResponse.StatusEnum.Received, ...(reference ? { reference } : {}) };
    const success = payment !== undefined && !failNext.cancel;
    failNext.cancel = false;
    payment?.modifications.push({ kind: 'cancel', pspReference, amount: 0, reference, success });
    webhooks.notify([
      item({ eventCode: 'TECHNICAL_CANCEL', success, pspReference, ...(payment ? { originalReference: payment.pspReference } : {}), merchantReference: reference ?? body.paymentReference, amount: payment?.amount ?? { value: 0, currency: 'EUR' }, reason: success ? '' : 'Cancel failed' }),
    ]);
    return { status: 201, body: answer };
  };

  /** Takes any modification of a known payment (Adyen's accounting rules settle it by notification). */
  const modify = (paymentPspReference: string, what: 'captures' | 'cancels' | 'refunds', body: Record<string, any>): FakeReply => {
    const payment = payments.get(paymentPspReference);
    if (!payment) return serviceError(422, '167', 'Original pspReference required for this operation', 'validation');
    const pspReference = psp();
    const reference = body.reference ? String(body.reference) : null;
    const common = { merchantAccount: payment.merchantAccount, paymentPspReference, pspReference, status: Received, ...(reference ? { reference } : {}) };
    const merchantReference = reference ?? payment.reference;
    if (what === 'cancels') {
      const answer: PaymentCancelResponse = common;
      const success = !failNext.cancel;
      failNext.cancel = false;
      payment.modifications.push({ kind: 'cancel', pspReference, amount: 0, reference, success });
      webhooks.notify([item({ eventCode: 'CANCELLATION', success, pspReference, originalReference: paymentPspReference, merchantReference, amount: payment.amount, reason: success ? '' : 'Cancel failed' })]);
      return { status: 201, body: answer };
    }
    const amount = body.amount ?? {};
    if (!Number.isSafeInteger(amount.value) || amount.value <= 0) return serviceError(422, '137', 'Invalid amount specified', 'validation');
    const answer: PaymentCaptureResponse | PaymentRefundResponse = { ...common, amount: { value: amount.value, currency: String(amount.currency) } };
    const kind = what === 'captures' ? 'capture' : 'refund';
    const style = failNext[kind];
    failNext[kind] = null;
    payment.modifications.push({ kind, pspReference, amount: amount.value, reference, success: style === null });
    const event = kind === 'capture' ? 'CAPTURE' : 'REFUND';
    const fields = { pspReference, originalReference: paymentPspReference, merchantReference, amount: answer.amount! };
    if (style === null) webhooks.notify([item({ ...fields, eventCode: event, success: true })]);
    else if (style === 'success_false') webhooks.notify([item({ ...fields, eventCode: event, success: false, reason: `${kind === 'capture' ? 'Capture' : 'Refund'} refused` })]);
    else webhooks.notify([item({ ...fields, eventCode: `${event}_FAILED`, success: true, reason: `${kind === 'capture' ? 'Capture' : 'Refund'} Failed` })]);
    return { status: 201, body: answer };
  };

  const server = await FakeProviderServer.start({
    tls: options.tls ?? true,
    handler: (request) => {
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string') return handle(request);
      const scoped = `${scope(request.path)} ${key}`;
      const stored = answers.get(scoped);
      if (stored) return { status: stored.status, body: stored.body };
      if (inFlight.has(scoped)) return serviceError(422, '704', 'request already processed or in progress', 'validation');
      inFlight.add(scoped);
      try {
        const reply = handle(request);
        // A 401/403 is not processed, so not stored; everything else is the key's answer from now on.
        if (reply.status !== 401 && reply.status !== 403) answers.set(scoped, { status: reply.status, body: reply.body });
        return reply;
      } finally {
        inFlight.delete(scoped);
      }
    },
  });

  const notification = (sample: NotificationSample): SignedNotification => {
    const key = webhooks.key;
    if (!key) throw new Error('the Adyen fake has no HMAC key: pass hmacKey or registerWebhook first');
    return writeAdyenNotification(sample, options.merchantAccount, key);
  };

  return {
    url: server.url,
    shopperUrl: pages.url,
    server,
    payments,
    paymentByReference: (reference) => [...payments.values()].find((candidate) => candidate.reference === reference),
    bodies: (path) => server.requests.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path))).map((r) => JSON.parse(r.body || 'null') as unknown),
    registerWebhook: (webhook) => webhooks.register(webhook),
    notifications: () => webhooks.sent,
    failNextCapture: (style = 'failed_event') => void (failNext.capture = style),
    failNextRefund: (style = 'failed_event') => void (failNext.refund = style),
    failNextCancel: () => void (failNext.cancel = true),
    notification,
    close: async () => {
      webhooks.close();
      await Promise.all([server.close(), pages.close()]);
    },
  };
}

/** A notification about a contract sample, written and signed (hex key) as Adyen sends it. */
export function writeAdyenNotification(sample: NotificationSample, merchantAccount: string, hmacKey: string): SignedNotification {
  return { body: notificationBody([signedItem(sampleFields(sample, merchantAccount), hmacKey)]), headers: { 'content-type': 'application/json' } };
}

/** A contract sample as Adyen would notify it: the event code, which pspReference, which reference. */
function sampleFields(sample: NotificationSample, merchantAccount: string): ItemFields {
  const amount = { value: sample.amount, currency: sample.currency };
  const payment = sample.providerReference ?? psp();
  if (sample.kind === 'authorized') return { eventCode: 'AUTHORISATION', success: true, pspReference: payment, merchantReference: sample.attemptId, merchantAccount, amount };
  const events = { captured: ['CAPTURE', true], capture_failed: ['CAPTURE_FAILED', true], refunded: ['REFUND', true], refund_failed: ['REFUND_FAILED', true], cancelled: ['CANCELLATION', true] } as const;
  const [eventCode, success] = events[sample.kind];
  // The modification's own pspReference, one per sample event (Adyen's are 16 characters).
  const pspReference = createHash('sha256').update(sample.eventId).digest('hex').slice(0, 16).toUpperCase();
  return { eventCode, success, pspReference, originalReference: payment, merchantReference: sample.operationId ?? sample.attemptId, merchantAccount, amount };
}

/** Keys are per account (one fake = one account); the scope keeps /payments, /payments/details and modifications apart. */
function scope(path: string): string {
  if (path === '/v72/payments') return 'payments';
  if (path === '/v72/payments/details') return 'details';
  return 'modifications';
}
