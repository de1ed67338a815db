import { FakeProviderServer, type FakeReply, type FakeRequest } from '#provider-fakes';

/**
 * A stateful wire-level fake of __Name__ on 127.0.0.1, for the tests and the contract's `provider.fake`:
 * it speaks the provider's real wire format (check both directions against the provider's published
 * API description with `PublishedSchemas`, and type its answers with the SDK's own types), replays
 * by idempotency key, and takes the faults of `FakeProviderServer` (down, slow, 5xx before or after
 * processing, reset, never answering).
 */
export class __Name__Fake {
  private constructor(readonly server: FakeProviderServer) {}

  static async start(): Promise<__Name__Fake> {
    let fake: __Name__Fake | undefined;
    const server = await FakeProviderServer.start({ handler: (request) => fake!.handle(request) });
    fake = new __Name__Fake(server);
    return fake;
  }

  get url(): string {
    return this.server.url;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private handle(request: FakeRequest): FakeReply {
    // TODO: the provider's endpoints the adapter calls, with its state (payments by id, answers by
    // idempotency key) and its documented test cards driving the outcomes.
    return { status: 501, body: { error: `the __type__ fake does not serve ${request.method} ${request.path} yet` } };
  }
}
