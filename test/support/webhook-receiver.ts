import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  id: string;
  status: number;
}

/** What the receiver answers to a request: a status, or 'hang' to never answer. */
export type Answer = number | 'hang';

/**
 * A merchant's webhook receiver on 127.0.0.1 (ephemeral port) that records every request. It
 * answers 200 unless told otherwise: `answers` is consumed one per request, then `fallback`.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private answers: Answer[] = [];
  private fallback: Answer = 200;
  private readonly hanging = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/hooks'): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => receiver!.handle(request.headers, Buffer.concat(chunks).toString('utf8'), response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}${path}`);
    return receiver;
  }

  /** The next answers, in order; afterwards `fallback` (default 200). */
  answer(answers: Answer[], fallback: Answer = 200): void {
    this.answers = [...answers];
    this.fallback = fallback;
  }

  idsReceived(): string[] {
    return this.received.map((webhook) => webhook.id);
  }

  reset(): void {
    this.received.length = 0;
    this.answers = [];
    this.fallback = 200;
  }

  async close(): Promise<void> {
    for (const release of this.hanging) release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(headers: IncomingHttpHeaders, body: string, response: import('node:http').ServerResponse): void {
    const answer = this.answers.shift() ?? this.fallback;
    const id = String(headers['webhook-id'] ?? '');
    if (answer === 'hang') {
      this.received.push({ headers, body, id, status: 0 });
      const release = () => response.destroy();
      this.hanging.add(release);
      response.on('close', () => this.hanging.delete(release));
      return;
    }
    this.received.push({ headers, body, id, status: answer });
    response.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
  }
}
