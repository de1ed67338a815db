import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answeredPage, challengePage, COMPLETE, FAIL, messagePage, RESULT_FIELD, returnLocation } from './challenge-page.html.js';
import type { ChallengeView } from './simulator.ledger.js';

/** Where a node's challenges are answered: its ledger. */
export interface ChallengeDesk {
  findChallenge(token: string): ChallengeView | null;
  answerChallenge(token: string, shopperPassed: boolean): ChallengeView | null;
}

export interface ChallengePageAddress {
  host: string;
  port: number;
  /** The base URL shoppers reach the server by; null: `http://<host>:<port>`. */
  publicUrl: string | null;
}

/** One server per host and port in the process, shared by the nodes (desks) that joined it. */
interface SharedServer {
  server: Server;
  desks: Set<ChallengeDesk>;
  port: Promise<number>;
}

const servers = new Map<string, SharedServer>();
/** Servers still closing, so that a fixed port is free again before a new server listens on it. */
const closing = new Map<string, Promise<void>>();

const MAX_BODY_BYTES = 4096;
const PAGE_PATH = /\/challenges\/([A-Za-z0-9_-]+)$/;

/**
 * A node's view of the challenge page server: started on the first challenge (so trees that never
 * challenge bind no port), unref'd (it never keeps the process alive), closed when its last node closes.
 */
export class ChallengePages {
  private base: Promise<string> | null = null;

  constructor(
    private readonly address: ChallengePageAddress,
    private readonly desk: ChallengeDesk,
  ) {}

  /** The page of challenge `token`; rejects when the server cannot listen (the next call tries again). */
  async pageUrl(token: string): Promise<string> {
    this.base ??= join(this.address, this.desk).then((port) => this.address.publicUrl ?? `http://${hostInUrl(this.address.host)}:${port}`);
    const pending = this.base;
    try {
      return `${await pending}/challenges/${token}`;
    } catch (error) {
      if (this.base === pending) this.base = null;
      throw error;
    }
  }

  async close(): Promise<void> {
    const joined = this.base;
    if (!joined) return;
    this.base = null;
    if (await joined.then(() => true, () => false)) await leave(this.address, this.desk);
  }
}

const keyOf = (address: ChallengePageAddress) => `${address.host}:${address.port}`;
const hostInUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

async function join(address: ChallengePageAddress, desk: ChallengeDesk): Promise<number> {
  const key = keyOf(address);
  if (!servers.has(key)) await closing.get(key);
  const shared = servers.get(key) ?? listen(key, address);
  shared.desks.add(desk);
  try {
    return await shared.port;
  } catch (error) {
    shared.desks.delete(desk);
    throw error;
  }
}

async function leave(address: ChallengePageAddress, desk: ChallengeDesk): Promise<void> {
  const key = keyOf(address);
  const shared = servers.get(key);
  if (!shared || !shared.desks.delete(desk) || shared.desks.size > 0) return;
  servers.delete(key);
  const closed = new Promise<void>((resolve) => {
    shared.server.close(() => resolve());
    shared.server.closeAllConnections();
  });
  closing.set(key, closed);
  await closed;
  if (closing.get(key) === closed) closing.delete(key);
}

function listen(key: string, address: ChallengePageAddress): SharedServer {
  const desks = new Set<ChallengeDesk>();
  const server = createServer((req, res) => {
    answer(desks, req, res).catch(() => send(res, 500, messagePage('Simulator error', 'The challenge page failed.')));
  });
  server.on('connection', (socket) => socket.unref());
  const port = new Promise<number>((resolve, reject) => {
    server.once('error', (error) => {
      if (servers.get(key)?.server === server) servers.delete(key);
      reject(new Error(`the 3-D Secure challenge page cannot listen on ${key}: ${error.message}`));
    });
    server.listen(address.port, address.host, () => resolve((server.address() as AddressInfo).port));
  });
  port.catch(() => undefined);
  server.unref();
  const shared = { server, desks, port };
  servers.set(key, shared);
  return shared;
}

function find(desks: Set<ChallengeDesk>, token: string): { desk: ChallengeDesk; view: ChallengeView } | null {
  for (const desk of desks) {
    const view = desk.findChallenge(token);
    if (view) return { desk, view };
  }
  return null;
}

/** GET shows the challenge, POST answers it and sends the shopper back (303) to the attempt's return URL. */
async function answer(desks: Set<ChallengeDesk>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const token = PAGE_PATH.exec(new URL(req.url ?? '/', 'http://challenge.invalid').pathname)?.[1];
  const found = token === undefined ? null : find(desks, token);
  if (!token || !found) return send(res, 404, messagePage('Challenge not found', 'There is no such 3-D Secure challenge.'));
  const { desk, view } = found;
  if (view.state === 'expired') return send(res, 410, messagePage('Challenge expired', 'This 3-D Secure challenge has expired: the payment was cancelled.'));
  if (req.method === 'GET' || req.method === 'HEAD') return send(res, 200, view.state === 'waiting' ? challengePage(view) : answeredPage(view));
  if (req.method !== 'POST') return send(res, 405, messagePage('Method not allowed', 'Use GET or POST.'), { allow: 'GET, HEAD, POST' });
  const body = await readBody(req);
  if (body === null) return send(res, 413, messagePage('Too large', 'The form is too large.'));
  const result = new URLSearchParams(body).get(RESULT_FIELD);
  if (result !== COMPLETE && result !== FAIL) return send(res, 400, messagePage('Bad request', `The form must send ${RESULT_FIELD}=${COMPLETE} or ${RESULT_FIELD}=${FAIL}.`));
  const answered = desk.answerChallenge(token, result === COMPLETE) ?? view;
  if (answered.state === 'expired') return send(res, 410, messagePage('Challenge expired', 'This 3-D Secure challenge has expired: the payment was cancelled.'));
  send(res, 303, messagePage('Returning to the merchant', 'Returning to the merchant.'), { location: returnLocation(answered) });
}

/** The body as text, or null past MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    connection: 'close',
    ...headers,
  });
  res.end(html);
}
