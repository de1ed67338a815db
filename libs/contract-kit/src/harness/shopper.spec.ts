import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseForms } from './html-forms.js';
import { completeRedirect, ShopperError } from './shopper.js';

interface Seen {
  method: string;
  path: string;
  body: string;
  cookie: string | undefined;
  contentType: string | undefined;
}

type Page = (req: IncomingMessage, body: string) => { status?: number; html?: string; headers?: Record<string, string | string[]> };

/** A local site of challenge pages: each path answers with its handler; every request is recorded. */
let server: Server;
let base: string;
const pages = new Map<string, Page>();
const seen: Seen[] = [];

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', base);
  seen.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, body, cookie: req.headers.cookie, contentType: req.headers['content-type'] });
  const page = pages.get(url.pathname);
  const answer = page ? page(req, body) : { status: 404, html: '<p>no such page</p>' };
  res.writeHead(answer.status ?? 200, { 'content-type': 'text/html', ...answer.headers });
  res.end(answer.html ?? '');
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  pages.clear();
  seen.length = 0;
});

const html = (body: string) => `<!doctype html><html><body>${body}</body></html>`;
const returnUrl = () => `${base}/return/att_1`;
const challengeForm = `<form method="post" action="answer">
  <input type="hidden" name="token" value="tok&amp;1">
  <button type="submit" name="result" value="complete">Complete</button>
  <button name="result" value="fail">Fail</button>
</form>`;

describe('completeRedirect', () => {
  it("submits the challenge form with its first button and returns the redirect's query parameters, never fetching the return URL", async () => {
    pages.set('/challenge', () => ({ html: html(`<h1>Challenge</h1>${challengeForm}`) }));
    pages.set('/answer', (_req, body) => ({ status: 303, headers: { location: `${returnUrl()}?sim=${new URLSearchParams(body).get('result')}&x=%20y` } }));
    pages.set('/return/att_1', () => ({ html: 'the merchant' }));

    await expect(completeRedirect(`${base}/challenge`, returnUrl())).resolves.toEqual({ sim: 'complete', x: ' y' });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /challenge', 'POST /answer']);
    expect(seen[1]).toMatchObject({ body: 'token=tok%261&result=complete', contentType: 'application/x-www-form-urlencoded' });
  });

  it('presses the chosen button', async () => {
    pages.set('/challenge', () => ({ html: html(challengeForm) }));
    pages.set('/answer', (_req, body) => ({ status: 302, headers: { location: `${returnUrl()}?result=${new URLSearchParams(body).get('result')}` } }));
    await expect(completeRedirect(`${base}/challenge`, returnUrl(), { choice: 1 })).resolves.toEqual({ result: 'fail' });
  });

  it("returns the fields of a form that posts to the return URL (an auto-submitting page), follows redirects between, and keeps the site's cookies", async () => {
    pages.set('/start', () => ({ status: 302, headers: { location: '/challenge', 'set-cookie': ['session=s1; Path=/; HttpOnly', 'lang=en'] } }));
    pages.set('/challenge', () => ({ html: html(challengeForm) }));
    pages.set('/answer', (req) =>
      req.headers.cookie === 'session=s1; lang=en' ? { status: 307, headers: { location: `${base}/answered` } } : { status: 403, html: 'no session' },
    );
    pages.set('/answered', (_req, body) => ({
      html: html(`<form method="POST" action='${returnUrl()}?step=2' id="back">
        <input type="hidden" name="redirectResult" value="${new URLSearchParams(body).get('result')}-X1">
        <input type="hidden" name="MD" value="md&#x3D;">
        <input type="checkbox" name="unchecked" value="no">
        <noscript><input type="submit" value="Continue"></noscript>
      </form><script>document.getElementById('back').submit()</script>`),
    }));

    await expect(completeRedirect(`${base}/start`, returnUrl())).resolves.toEqual({ redirectResult: 'complete-X1', MD: 'md=' });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /start', 'GET /challenge', 'POST /answer', 'POST /answered']);
    expect(seen[3]!.body).toBe('token=tok%261&result=complete');
  });

  it('submits a GET form as a query on its action, resolved against the page', async () => {
    pages.set('/pages/challenge', () => ({ html: html('<form action="../go?old=1"><input name="code" value="1234"><input type="submit" name="ok" value="yes"></form>') }));
    pages.set('/go', (req) => ({ status: 301, headers: { location: `${returnUrl()}?${new URL(req.url!, base).searchParams}` } }));
    await expect(completeRedirect(`${base}/pages/challenge`, returnUrl())).resolves.toEqual({ code: '1234', ok: 'yes' });
    expect(seen[1]!.path).toBe('/go?code=1234&ok=yes');
  });

  it('fails clearly: a page without a form, an error status, a missing button, a walk that never returns, a site that cannot be reached', async () => {
    pages.set('/empty', () => ({ html: html('<p>Nothing   to <b>see</b></p>') }));
    await expect(completeRedirect(`${base}/empty`, returnUrl())).rejects.toThrow(
      new ShopperError(`GET ${base}/empty answered a page with no form and no way back to ${returnUrl()}: "Nothing to see"`),
    );
    pages.set('/broken', () => ({ status: 500, html: 'oops' }));
    await expect(completeRedirect(`${base}/broken`, returnUrl())).rejects.toThrow(`GET ${base}/broken answered 500: "oops"`);
    pages.set('/challenge', () => ({ html: html(challengeForm) }));
    await expect(completeRedirect(`${base}/challenge`, returnUrl(), { choice: 2 })).rejects.toThrow(`the form of GET ${base}/challenge has 2 submit buttons, no button #2`);
    pages.set('/loop', () => ({ status: 302, headers: { location: '/loop' } }));
    await expect(completeRedirect(`${base}/loop`, returnUrl(), { maxSteps: 4 })).rejects.toThrow(`no way back to ${returnUrl()} within 4 requests from ${base}/loop`);
    await expect(completeRedirect('http://127.0.0.1:9/challenge', returnUrl())).rejects.toThrow(/^GET http:\/\/127\.0\.0\.1:9\/challenge failed: /);
    await expect(completeRedirect('ftp://example.test/x', returnUrl())).rejects.toThrow('the next action URL "ftp://example.test/x" is not an http(s) URL');
  });
});

describe('parseForms', () => {
  it('reads action, method, fields and submit buttons in document order, skipping disabled and unchecked controls', () => {
    const [form, second] = parseForms(`<!-- <form action="/commented"></form> -->
      <FORM Action="/a" METHOD=post>
        <input name=plain value=unquoted><input type="radio" name="r" value="1" checked><input name="off" disabled value="x">
        <textarea name="note">a &lt;b&gt;</textarea><input type="image" name="img" value="i"><input type="reset" name="reset">
      </FORM><form><button type="button" name="nope">x</button></form>`);
    expect(form).toEqual({
      action: '/a',
      method: 'POST',
      fields: [['plain', 'unquoted'], ['r', '1'], ['note', 'a <b>']],
      buttons: [{ name: 'img', value: 'i' }],
    });
    expect(second).toEqual({ action: '', method: 'GET', fields: [], buttons: [] });
  });
});
