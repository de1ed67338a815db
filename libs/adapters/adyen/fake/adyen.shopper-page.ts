/**
 * The fake's 3-D Secure page (test code only), what checkoutshopper-test.adyen.com serves in the
 * redirect flow: a plain HTML form whose FIRST submit button completes the challenge; the POST
 * answers 303 to the payment's returnUrl with `redirectResult=<opaque>` in the query, as Adyen's
 * GET return does. Plain HTTP on 127.0.0.1, so a browser or a form-submitting client can drive it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const CHALLENGE_PATH = '/checkoutshopper/threeDS/redirect';

/** One challenge waiting for the shopper, by its `MD` token. */
export interface Challenge {
  md: string;
  pspReference: string;
  returnUrl: string;
  amount: { value: number; currency: string };
  /** Set when the shopper submitted the form: what they chose, and the redirect result they took back. */
  answer: 'complete' | 'cancel' | null;
  redirectResult: string | null;
}

export class ShopperPages {
  readonly challenges = new Map<string, Challenge>();
  /** redirectResult → the challenge it ends. */
  readonly results = new Map<string, Challenge>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(): Promise<ShopperPages> {
    let pages: ShopperPages | undefined;
    const server = createServer((req, res) => void pages!.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    pages = new ShopperPages(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return pages;
  }

  /** A new challenge; the URL the shopper is sent to (GET, the token in its query). */
  open(input: Pick<Challenge, 'pspReference' | 'returnUrl' | 'amount'>): string {
    const md = randomBytes(12).toString('base64url');
    this.challenges.set(md, { ...input, md, answer: null, redirectResult: null });
    return `${this.url}${CHALLENGE_PATH}?MD=${md}`;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname !== CHALLENGE_PATH) return page(res, 404, '<p>No such page.</p>');
    if (req.method === 'GET') {
      const challenge = this.challenges.get(url.searchParams.get('MD') ?? '');
      if (!challenge) return page(res, 404, '<p>This authentication session is unknown or has expired.</p>');
      return page(res, 200, challengeForm(challenge, `${this.url}${CHALLENGE_PATH}`));
    }
    if (req.method !== 'POST') return page(res, 405, '<p>Method not allowed.</p>');
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const challenge = this.challenges.get(form.get('MD') ?? '');
    if (!challenge) return page(res, 404, '<p>This authentication session is unknown or has expired.</p>');
    if (!challenge.redirectResult) {
      challenge.answer = form.get('answer') === 'complete' ? 'complete' : 'cancel';
      challenge.redirectResult = randomBytes(24).toString('base64url');
      this.results.set(challenge.redirectResult, challenge);
    }
    const separator = challenge.returnUrl.includes('?') ? '&' : '?';
    res.writeHead(303, { location: `${challenge.returnUrl}${separator}redirectResult=${encodeURIComponent(challenge.redirectResult)}` });
    res.end();
  }
}

function challengeForm(challenge: Challenge, action: string): string {
  const amount = `${challenge.amount.currency} ${(challenge.amount.value / 100).toFixed(2)}`;
  return `<h1>3-D Secure 2 authentication (Adyen test fake)</h1>
<p>Confirm the payment of ${escape(amount)}.</p>
<form method="post" action="${escape(action)}">
  <input type="hidden" name="MD" value="${escape(challenge.md)}">
  <button type="submit" name="answer" value="complete">Complete authentication</button>
  <button type="submit" name="answer" value="cancel">Cancel</button>
</form>`;
}

function page(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html>\n<html><head><meta charset="utf-8"><title>Adyen 3-D Secure (fake)</title></head><body>\n${body}\n</body></html>\n`);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
