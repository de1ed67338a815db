import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const TLS_DIR = new URL('../tls/', import.meta.url);

/**
 * The test CA that signed the fakes' certificate (for 127.0.0.1 and localhost). Its key was thrown
 * away once the certificate was signed. Clients trust it through NODE_EXTRA_CA_CERTS (vitest.config
 * sets it for the test processes); nothing turns certificate checks off.
 */
export const FAKE_CA_FILE = new URL('ca.pem', TLS_DIR).pathname;

/** One request as the fake received it: raw body kept, so a test can check what went over the wire. */
export interface FakeRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/payment_intents`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * What the provider answers. `then` makes the answer a lie after the work is done: `reset` cuts the
 * connection, `hang` never answers; either way the fake's state already changed, as a real
 * provider's would when the reply is lost.
 */
export interface FakeReply {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is instead of `body` (a page, for a shopper's browser); give its content-type in `headers`. */
  text?: string;
  headers?: Record<string, string>;
  then?: 'reset' | 'hang';
}

export type FakeHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

/**
 * A fault for the next matching requests, chosen by the test:
 * - `error-before`: answers `status` (default 500) without calling the handler: nothing was done;
 * - `error-after`: the handler runs (state changes), then `status` replaces its answer;
 * - `reset-after` / `hang-after`: the handler runs, then the connection is cut / never answered;
 * - `slow`: the handler runs, the answer is sent `delayMs` later.
 */
export interface Fault {
  kind: 'error-before' | 'error-after' | 'reset-after' | 'hang-after' | 'slow';
  status?: number;
  body?: unknown;
  delayMs?: number;
  /** Which requests it hits (default: all). */
  match?: (request: FakeRequest) => boolean;
  /** How many requests it hits before it is used up (default 1). */
  times?: number;
}

export interface FakeServerOptions {
  /** Serve HTTPS with the test CA's certificate (for SDKs that speak HTTPS only). */
  tls?: boolean;
  handler: FakeHandler;
}

/** A provider fake on 127.0.0.1: records every request, injects faults, goes down and comes back on the same port. */
export class FakeProviderServer {
  readonly requests: FakeRequest[] = [];
  private readonly faults: Array<Required<Pick<Fault, 'times'>> & Fault> = [];
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server;
  private port = 0;

  private constructor(private readonly options: FakeServerOptions) {
    this.server = this.createServer();
  }

  static async start(options: FakeServerOptions): Promise<FakeProviderServer> {
    const fake = new FakeProviderServer(options);
    await fake.listen();
    return fake;
  }

  /** `http(s)://127.0.0.1:<port>`, stable across `down()` / `up()`. */
  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Stops listening (connections are refused) and keeps the state. */
  async down(): Promise<void> {
    await this.stopListening();
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    this.server = this.createServer();
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.stopListening();
  }

  private createServer(): Server {
    const onRequest = (req: IncomingMessage, res: ServerResponse) => void this.serve(req, res);
    const server = this.options.tls
      ? createHttpsServer({ cert: readFileSync(new URL('server.pem', TLS_DIR)), key: readFileSync(new URL('server-key.pem', TLS_DIR)) }, onRequest)
      : createHttpServer(onRequest);
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private listen(port = 0): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private stopListening(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private takeFault(request: FakeRequest): Fault | undefined {
    const index = this.faults.findIndex((fault) => fault.match?.(request) ?? true);
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.times -= 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(request);
    const fault = this.takeFault(request);
    if (fault?.kind === 'error-before') return send(res, { status: fault.status ?? 500, body: fault.body ?? { error: 'injected fault before processing' } });
    let reply: FakeReply;
    try {
      reply = await this.options.handler(request);
    } catch (error) {
      reply = { status: 500, body: { error: `fake handler crashed: ${error instanceof Error ? error.message : String(error)}` } };
    }
    if (fault?.kind === 'error-after') reply = { status: fault.status ?? 500, body: fault.body ?? { error: 'injected fault after processing' } };
    if (fault?.kind === 'reset-after') reply = { ...reply, then: 'reset' };
    if (fault?.kind === 'hang-after') reply = { ...reply, then: 'hang' };
    if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 1000);
    if (reply.then === 'reset') return void req.socket.destroy();
    if (reply.then === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    send(res, reply);
  }
}

function send(res: ServerResponse, reply: FakeReply): void {
  const body = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(body);
}

/** Text made safe inside HTML text and attribute values, for the pages fakes serve to shoppers. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
