import { escapeHtml, FakeProviderServer, type FakeReply, type FakeRequest } from '#provider-fakes';

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
  private constructor(
    private readonly server: FakeProviderServer,
    private readonly handler: AuthenticationHandler,
  ) {}

  static async start(handler: AuthenticationHandler): Promise<AuthenticationPages> {
    let pages: AuthenticationPages | undefined;
    const server = await FakeProviderServer.start({ handler: (request) => pages!.serve(request) });
    pages = new AuthenticationPages(server, handler);
    return pages;
  }

  get url(): string {
    return this.server.url;
  }

  /** The page of PaymentIntent `id`, as `redirect_to_url.url`. */
  pageUrl(id: string, clientSecret: string): string {
    return `${this.url}/redirect/authenticate/${id}?client_secret=${encodeURIComponent(clientSecret)}`;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private serve(request: FakeRequest): FakeReply {
    const id = PATH.exec(request.path)?.[1];
    const clientSecret = request.query.get('client_secret') ?? '';
    const payment = id ? this.handler.describe(id, clientSecret) : null;
    if (!id || !payment) return html(404, '<h1>This authentication page does not exist or has expired.</h1>');
    if (request.method === 'GET') return html(200, page(this.pageUrl(id, clientSecret), payment));
    if (request.method !== 'POST') return html(405, '<h1>Method not allowed</h1>');
    const choice = new URLSearchParams(request.body).get('choice') === 'fail' ? 'fail' : 'complete';
    const back = this.handler.choose(id, clientSecret, choice);
    if (!back) return html(404, '<h1>This authentication page does not exist or has expired.</h1>');
    return { status: 303, headers: { location: back, 'content-type': 'text/html; charset=utf-8' }, text: `<a href="${escapeHtml(back)}">Continue</a>` };
  }
}

function page(action: string, payment: { amount: number; currency: string }): string {
  return `<h1>3D Secure 2 Test Page</h1>
<p>Test payment of ${payment.amount} (minor units) ${escapeHtml(payment.currency.toUpperCase())}. This is a test page: no bank is asked.</p>
<form method="post" action="${escapeHtml(action)}">
  <button type="submit" name="choice" value="complete">Complete authentication</button>
  <button type="submit" name="choice" value="fail">Fail authentication</button>
</form>`;
}

function html(status: number, body: string): FakeReply {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    text: `<!doctype html><html><head><meta charset="utf-8"><title>Stripe test authentication</title></head><body>${body}</body></html>`,
  };
}
