import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the shopper chose on the page: the first button completes the authentication, the second fails it. */
export type ShopperChoice = 'complete' | 'fail';

/** What the page server asks of the fake: the payment a page is for, and where the shopper goes after choosing. */
export interface AuthenticationHandler {
  /** The page's wording for PaymentIntent `id` with its `clientSecret`; null when there is no such waiting payment. */
  describe(id: string, clientSecret: string): { amount: number; currency: string } | null;
  /** Applies the choice (idempotent: a second submit changes nothing) and answers the URL to send the shopper back to. */
  choose(id: string, clientSecret: string, choice: ShopperChoice): string | null;
}

const PATH = /^\/redirect\/authenticate\/(pi_\w+)$/;

/**
 * The fake's `hooks.stripe.com`: the 3-D Secure test page `next_action.redirect_to_url.url` points to,
 * on its own port as on Stripe (another host than the API). A plain HTML form, no script: GET shows
 * it, POST applies the button pressed and answers 303 to the PaymentIntent's `return_url` with
 * `payment_intent`, `payment_intent_client_secret` and `redirect_status`, as Stripe does.
 */
export class AuthenticationPages {
  private readonly sockets = new Set<Socket>();
  private port = 0;

  private constructor(
    private readonly server: Server,
    private readonly handler: AuthenticationHandler,
  ) {}

  static async start(handler: AuthenticationHandler): Promise<AuthenticationPages> {
    let pages: AuthenticationPages | undefined;
    const server = createServer((req, res) => void pages!.serve(req, res));
    pages = new AuthenticationPages(server, handler);
    server.on('connection', (socket: Socket) => {
      pages!.sockets.add(socket);
      socket.on('close', () => pages!.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    pages.port = (server.address() as AddressInfo).port;
    return pages;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The page of PaymentIntent `id`, as `redirect_to_url.url`. */
  pageUrl(id: string, clientSecret: string): string {
    return `${this.url}/redirect/authenticate/${id}?client_secret=${encodeURIComponent(clientSecret)}`;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const id = PATH.exec(url.pathname)?.[1];
    const clientSecret = url.searchParams.get('client_secret') ?? '';
    const payment = id ? this.handler.describe(id, clientSecret) : null;
    if (!id || !payment) return html(res, 404, '<h1>This authentication page does not exist or has expired.</h1>');
    if (req.method === 'GET') return html(res, 200, page(this.pageUrl(id, clientSecret), payment));
    if (req.method !== 'POST') return html(res, 405, '<h1>Method not allowed</h1>');
    const choice = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('choice') === 'fail' ? 'fail' : 'complete';
    const back = this.handler.choose(id, clientSecret, choice);
    if (!back) return html(res, 404, '<h1>This authentication page does not exist or has expired.</h1>');
    res.writeHead(303, { location: back, 'content-type': 'text/html; charset=utf-8' });
    res.end(`<a href="${escape(back)}">Continue</a>`);
  }
}

function page(action: string, payment: { amount: number; currency: string }): string {
  return `<h1>3D Secure 2 Test Page</h1>
<p>Test payment of ${payment.amount} (minor units) ${escape(payment.currency.toUpperCase())}. This is a test page: no bank is asked.</p>
<form method="post" action="${escape(action)}">
  <button type="submit" name="choice" value="complete">Complete authentication</button>
  <button type="submit" name="choice" value="fail">Fail authentication</button>
</form>`;
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>Stripe test authentication</title></head><body>${body}</body></html>`);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
