/**
 * The fake's 3-D Secure page (test code only), what checkoutshopper-test.adyen.com serves in the
 * redirect flow: a plain HTML form whose FIRST submit button completes the challenge; the POST
 * answers 303 to the payment's returnUrl with `redirectResult=<opaque>` in the query, as Adyen's
 * GET return does. Plain HTTP on 127.0.0.1, so a browser or a form-submitting client can drive it.
 */
import { randomBytes } from 'node:crypto';
import { escapeHtml, FakeProviderServer, type FakeReply, type FakeRequest } from '#provider-fakes';

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

  private constructor(private readonly server: FakeProviderServer) {}

  static async start(): Promise<ShopperPages> {
    let pages: ShopperPages | undefined;
    const server = await FakeProviderServer.start({ handler: (request) => pages!.serve(request) });
    pages = new ShopperPages(server);
    return pages;
  }

  get url(): string {
    return this.server.url;
  }

  /** A new challenge; the URL the shopper is sent to (GET, the token in its query). */
  open(input: Pick<Challenge, 'pspReference' | 'returnUrl' | 'amount'>): string {
    const md = randomBytes(12).toString('base64url');
    this.challenges.set(md, { ...input, md, answer: null, redirectResult: null });
    return `${this.url}${CHALLENGE_PATH}?MD=${md}`;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private serve(request: FakeRequest): FakeReply {
    if (request.path !== CHALLENGE_PATH) return page(404, '<p>No such page.</p>');
    if (request.method === 'GET') {
      const challenge = this.challenges.get(request.query.get('MD') ?? '');
      if (!challenge) return page(404, '<p>This authentication session is unknown or has expired.</p>');
      return page(200, challengeForm(challenge, `${this.url}${CHALLENGE_PATH}`));
    }
    if (request.method !== 'POST') return page(405, '<p>Method not allowed.</p>');
    const form = new URLSearchParams(request.body);
    const challenge = this.challenges.get(form.get('MD') ?? '');
    if (!challenge) return page(404, '<p>This authentication session is unknown or has expired.</p>');
    if (!challenge.redirectResult) {
      challenge.answer = form.get('answer') === 'complete' ? 'complete' : 'cancel';
      challenge.redirectResult = randomBytes(24).toString('base64url');
      this.results.set(challenge.redirectResult, challenge);
    }
    const separator = challenge.returnUrl.includes('?') ? '&' : '?';
    return { status: 303, headers: { location: `${challenge.returnUrl}${separator}redirectResult=${encodeURIComponent(challenge.redirectResult)}` } };
  }
}

function challengeForm(challenge: Challenge, action: string): string {
  const amount = `${challenge.amount.currency} ${(challenge.amount.value / 100).toFixed(2)}`;
  return `<h1>3-D Secure 2 authentication (Adyen test fake)</h1>
<p>Confirm the payment of ${escapeHtml(amount)}.</p>
<form method="post" action="${escapeHtml(action)}">
  <input type="hidden" name="MD" value="${escapeHtml(challenge.md)}">
  <button type="submit" name="answer" value="complete">Complete authentication</button>
  <button type="submit" name="answer" value="cancel">Cancel</button>
</form>`;
}

function page(status: number, body: string): FakeReply {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    text: `<!doctype html>\n<html><head><meta charset="utf-8"><title>Adyen 3-D Secure (fake)</title></head><body>\n${body}\n</body></html>\n`,
  };
}
