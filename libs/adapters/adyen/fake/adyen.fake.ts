/**
 * A wire-level fake of Adyen's Checkout API v72 (test/fake code only), on FakeProviderServer over HTTPS
 * with the test CA. Stateful: payments by pspReference, answers by Idempotency-Key (a replayed key gets
 * the stored answer; a key in flight gets 422 errorCode 704), Adyen's ServiceError bodies. Every answer
 * is typed with the SDK's own models, so a misnamed field does not compile.
 */
import { randomBytes } from 'node:crypto';
import adyen from '@adyen/api-library';
import type {
  PaymentCancelResponse,
  PaymentCaptureResponse,
  PaymentRefundResponse,
  PaymentResponse,
  ServiceError,
} from '@adyen/api-library/lib/src/typings/checkout/models.js';
import { FakeProviderServer, type FakeReply, type FakeRequest } from '#provider-fakes';

const { checkout } = adyen.Types;
const ResultCode = checkout.PaymentResponse.ResultCodeEnum;
const Received = checkout.PaymentCaptureResponse.StatusEnum.Received;

type CardScript =
  | { kind: 'authorise' }
  | { kind: 'authorise-then-hang' }
  | { kind: 'refuse'; refusalReasonCode: string; refusalReason: string }
  | { kind: 'redirect' };

/**
 * Cards the fake honours. 4111 1111 1111 1111 and 5555 5555 5555 4444 are Adyen's documented test
 * cards; 4917 6100 0000 0000 is Adyen's 3-D Secure 2 test Visa (answered RedirectShopper here). Adyen's
 * sandbox triggers refusals by holder name, which the unified card has no field for, so the refusals
 * and the lost reply are fake-only numbers (API.md's table), declared in the contract fixture's cards.
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
  '4917610000000000': { kind: 'redirect' },
});

export interface FakePayment {
  pspReference: string;
  reference: string;
  merchantAccount: string;
  amount: { value: number; currency: string };
  resultCode: string;
  /** Authorised with captureDelayHours: 0 (captured at once) or manualCapture (captured later). */
  capturedAtOnce: boolean;
  /** Modifications received (201), in order; Adyen would settle each by notification. */
  modifications: Array<{ kind: 'capture' | 'cancel' | 'refund'; pspReference: string; amount: number }>;
}

export interface AdyenFake {
  readonly url: string;
  readonly server: FakeProviderServer;
  readonly payments: ReadonlyMap<string, FakePayment>;
  /** Requests received, bodies parsed. */
  bodies(path: string | RegExp): unknown[];
  close(): Promise<void>;
}

export interface AdyenFakeOptions {
  apiKey: string;
  merchantAccount: string;
  currencies?: readonly string[];
  /** HTTPS with the test CA (default), or plain HTTP (to exercise an `api_base` of http://). */
  tls?: boolean;
}

const psp = () => randomBytes(8).toString('hex').toUpperCase();

export function serviceError(status: number, errorCode: string, message: string, errorType: string): FakeReply {
  const body: ServiceError = { status, errorCode, message, errorType, pspReference: psp() };
  return { status, body };
}

export async function startAdyenFake(options: AdyenFakeOptions): Promise<AdyenFake> {
  const payments = new Map<string, FakePayment>();
  const answers = new Map<string, FakeReply>();
  const inFlight = new Set<string>();
  const currencies = options.currencies ?? ['EUR', 'GBP', 'USD'];

  const handle = (request: FakeRequest): FakeReply => {
    if (request.headers['x-api-key'] !== options.apiKey) return serviceError(401, '000', 'HTTP Status Response - Unauthorized', 'security');
    if (request.method !== 'POST') return serviceError(405, '905', 'Method not allowed', 'validation');
    let body: Record<string, any>;
    try {
      body = JSON.parse(request.body || '{}') as Record<string, any>;
    } catch {
      return serviceError(400, '702', 'Unable to parse the request body', 'validation');
    }
    if (body.merchantAccount !== options.merchantAccount) return serviceError(403, '901', 'Invalid Merchant Account', 'security');
    if (request.path === '/v72/payments') return authorise(body);
    const modification = /^\/v72\/payments\/([^/]+)\/(captures|cancels|refunds)$/.exec(request.path);
    if (modification) return modify(decodeURIComponent(modification[1]!), modification[2] as 'captures' | 'cancels' | 'refunds', body);
    return serviceError(404, '000', `No such endpoint ${request.path}`, 'validation');
  };

  const authorise = (body: Record<string, any>): FakeReply => {
    const card = body.paymentMethod ?? {};
    if (typeof card.number !== 'string' || card.number.length === 0) return serviceError(422, '129', "Required field 'paymentMethod.number' is not provided", 'validation');
    const amount = body.amount ?? {};
    if (!Number.isSafeInteger(amount.value) || amount.value <= 0 || !currencies.includes(amount.currency)) {
      return serviceError(422, '137', 'Invalid amount specified', 'validation');
    }
    const script = ADYEN_FAKE_CARDS[card.number] ?? { kind: 'refuse', refusalReasonCode: '8', refusalReason: 'Invalid Card Number' };
    const pspReference = psp();
    const base = { pspReference, merchantReference: String(body.reference), amount: { value: amount.value, currency: amount.currency } };
    let answer: PaymentResponse;
    if (script.kind === 'refuse') answer = { ...base, resultCode: ResultCode.Refused, refusalReason: script.refusalReason, refusalReasonCode: script.refusalReasonCode };
    else if (script.kind === 'redirect') {
      answer = { ...base, resultCode: ResultCode.RedirectShopper, action: { type: checkout.CheckoutRedirectAction.TypeEnum.Redirect, paymentMethodType: 'scheme', url: `https://checkoutshopper-test.adyen.com/checkoutshopper/threeDS/redirect?MD=${pspReference}`, method: 'GET' } };
    } else answer = { ...base, resultCode: ResultCode.Authorised };
    payments.set(pspReference, {
      pspReference,
      reference: String(body.reference),
      merchantAccount: String(body.merchantAccount),
      amount: base.amount,
      resultCode: String(answer.resultCode),
      capturedAtOnce: body.captureDelayHours === 0,
      modifications: [],
    });
    return { status: 200, body: answer, ...(script.kind === 'authorise-then-hang' ? { then: 'hang' as const } : {}) };
  };

  /** Takes any modification of a known payment (Adyen's accounting rules settle it by notification). */
  const modify = (paymentPspReference: string, what: 'captures' | 'cancels' | 'refunds', body: Record<string, any>): FakeReply => {
    const payment = payments.get(paymentPspReference);
    if (!payment) return serviceError(422, '167', 'Original pspReference required for this operation', 'validation');
    const pspReference = psp();
    const common = { merchantAccount: payment.merchantAccount, paymentPspReference, pspReference, status: Received, ...(body.reference ? { reference: String(body.reference) } : {}) };
    if (what === 'cancels') {
      const answer: PaymentCancelResponse = common;
      payment.modifications.push({ kind: 'cancel', pspReference, amount: 0 });
      return { status: 201, body: answer };
    }
    const amount = body.amount ?? {};
    if (!Number.isSafeInteger(amount.value) || amount.value <= 0) return serviceError(422, '137', 'Invalid amount specified', 'validation');
    const answer: PaymentCaptureResponse | PaymentRefundResponse = { ...common, amount: { value: amount.value, currency: String(amount.currency) } };
    payment.modifications.push({ kind: what === 'captures' ? 'capture' : 'refund', pspReference, amount: amount.value });
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

  return {
    url: server.url,
    server,
    payments,
    bodies: (path) => server.requests.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path))).map((r) => JSON.parse(r.body || 'null') as unknown),
    close: () => server.close(),
  };
}

/** Keys are per account (one fake = one account); the scope only keeps /payments apart from modifications. */
function scope(path: string): string {
  return path === '/v72/payments' ? 'payments' : 'modifications';
}
