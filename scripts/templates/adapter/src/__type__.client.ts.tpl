/**
 * The calls the `__type__` node makes to __Name__, as one small interface: the node is built with it
 * (`__Name__Deps`), so its flow is tested with a recording client and without a network, and the real
 * one is a thin wrapper over the provider's official SDK. No hand-rolled HTTP client to the provider.
 */
export interface __Name__Client {
  // TODO: one method per provider call, in the SDK's own request and answer types, each taking the
  // idempotency key and the time left, for example:
  // createPayment(params: Sdk.PaymentCreateParams, call: __Name__Call): Promise<Sdk.Payment>;
}

/** What travels with every call: the provider's idempotency key (the attempt or operation id) and the deadline. */
export interface __Name__Call {
  idempotencyKey: string;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface __Name__ClientSettings {
  apiKey: string;
  /** `api_base`: a fake, a proxy or the sandbox; null for the provider's own endpoint. */
  apiBase: string | null;
}

/** The client on the official SDK (one per leaf: two leaves may use two accounts). */
export function create__Name__Client(settings: __Name__ClientSettings): __Name__Client {
  // TODO: const sdk = new Sdk(settings.apiKey, { ...baseUrlOptions(settings.apiBase) }); return { createPayment: (params, call) => sdk.payments.create(params, {...}) };
  void settings;
  return {};
}
