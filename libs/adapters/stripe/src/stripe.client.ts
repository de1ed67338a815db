import Stripe from 'stripe';

/** What travels with every call: Stripe's idempotency key (the attempt or operation id, POSTs only) and the time left. */
export interface StripeCall {
  idempotencyKey?: string;
  /** The SDK's per-request timeout in ms: what remains of the NodeContext deadline (at least 1). */
  timeoutMs: number;
}

/**
 * The calls the `stripe` node makes, in the SDK's own types. The node is built with it
 * (`StripeDeps`), so its flow is tested with a scripted client and without a network; the real one
 * (`createStripeClient`) is a thin wrapper over the official `stripe` package.
 */
export interface StripeClient {
  createPaymentIntent(params: Stripe.PaymentIntentCreateParams, call: StripeCall): Promise<Stripe.PaymentIntent>;
  /** `expand`: paths Stripe answers as objects instead of ids (e.g. `latest_charge`, for its network transaction id). */
  retrievePaymentIntent(id: string, call: StripeCall, expand?: readonly string[]): Promise<Stripe.PaymentIntent>;
  searchPaymentIntents(query: string, call: StripeCall): Promise<Stripe.PaymentIntent[]>;
  capturePaymentIntent(id: string, params: Stripe.PaymentIntentCaptureParams, call: StripeCall): Promise<Stripe.PaymentIntent>;
  cancelPaymentIntent(id: string, call: StripeCall): Promise<Stripe.PaymentIntent>;
  createRefund(params: Stripe.RefundCreateParams, call: StripeCall): Promise<Stripe.Refund>;
  /**
   * One page (up to 100, newest first) of a PaymentIntent's refunds, after `startingAfter` (a refund
   * id of the previous page). A list, so no indexing delay: a refund just created is on it.
   */
  listRefunds(paymentIntentId: string, startingAfter: string | null, call: StripeCall): Promise<{ data: Stripe.Refund[]; hasMore: boolean }>;
  /**
   * PaymentIntents created since `createdGte` (epoch seconds), newest first, one page of up to 100.
   * Unlike search, Stripe's list APIs have no indexing delay (read-after-write).
   */
  listPaymentIntentsSince(createdGte: number, call: StripeCall): Promise<{ data: Stripe.PaymentIntent[]; hasMore: boolean }>;
  /** A cheap authenticated read, for health. */
  ping(call: StripeCall): Promise<void>;
}

export interface StripeClientSettings {
  secretKey: string;
  /** `api_base`: a fake, a proxy or another endpoint; null for api.stripe.com. */
  apiBase: string | null;
}

/**
 * `maxNetworkRetries: 0`: the SDK would retry connection errors, 409s and 5xx with 0.5 s+ backoff,
 * and each retry gets the whole per-request timeout again, so retries could outlive the tree's
 * deadline. The tree already retries where it is safe (failover on a retryable refusal, the status
 * inquiry after an unknown). The SDK still retries a closed connection once on its own
 * (ECONNRESET/EPIPE, even at 0): every call carries our idempotency key, so that retry is a replay.
 */
export const STRIPE_SDK_SETTINGS = { maxNetworkRetries: 0 } as const;

/** `http(s)://host:port` → the SDK's `{host, port, protocol}`. */
export function baseUrlOptions(apiBase: string | null): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol };
}

const options = (call: StripeCall): Stripe.RequestOptions => ({
  timeout: Math.max(1, Math.floor(call.timeoutMs)),
  ...(call.idempotencyKey ? { idempotencyKey: call.idempotencyKey } : {}),
});

/** The client on the official SDK (one per leaf: two leaves may use two accounts). */
export function createStripeClient(settings: StripeClientSettings): StripeClient {
  const sdk = new Stripe(settings.secretKey, { ...STRIPE_SDK_SETTINGS, ...baseUrlOptions(settings.apiBase), telemetry: false });
  return {
    createPaymentIntent: (params, call) => sdk.paymentIntents.create(params, options(call)),
    retrievePaymentIntent: (id, call, expand) => sdk.paymentIntents.retrieve(id, expand?.length ? { expand: [...expand] } : {}, options(call)),
    searchPaymentIntents: async (query, call) => (await sdk.paymentIntents.search({ query, limit: 10 }, options(call))).data,
    listPaymentIntentsSince: async (createdGte, call) => {
      const page = await sdk.paymentIntents.list({ created: { gte: createdGte }, limit: 100 }, options(call));
      return { data: page.data, hasMore: page.has_more };
    },
    capturePaymentIntent: (id, params, call) => sdk.paymentIntents.capture(id, params, options(call)),
    cancelPaymentIntent: (id, call) => sdk.paymentIntents.cancel(id, {}, options(call)),
    createRefund: (params, call) => sdk.refunds.create(params, options(call)),
    listRefunds: async (paymentIntentId, startingAfter, call) => {
      const page = await sdk.refunds.list({ payment_intent: paymentIntentId, limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) }, options(call));
      return { data: page.data, hasMore: page.has_more };
    },
    ping: async (call) => {
      await sdk.paymentIntents.list({ limit: 1 }, options(call));
    },
  };
}
