import { parseForms, type HtmlForm } from './html-forms.js';

/**
 * A shopper without a browser: follows a `redirect_to_url` next action the way the redirect convention
 * says every provider's page can be driven. It GETs the page and submits its form with the chosen
 * submit button, follows redirects, and stops when the way leads back to `returnUrl`: a redirect there
 * (the return data are its query parameters) or a page whose form posts there (its fields: an
 * auto-submitting form). The return URL itself is never fetched.
 */

export interface ShopperOptions {
  /** The submit button of the challenge form: `first` (completes the challenge, the default) or its 0-based index. */
  choice?: 'first' | number;
  fetch?: typeof fetch;
  /** Requests before giving up (default 10). */
  maxSteps?: number;
  /** Ends the walk (e.g. a deadline). */
  signal?: AbortSignal;
}

export class ShopperError extends Error {
  override readonly name = 'ShopperError';
}

interface Step {
  method: 'GET' | 'POST';
  url: URL;
  body?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_EXCERPT = 160;

/** What the shopper brings back to `returnUrl`: the query of the redirect there, or the fields of the form that posts there. */
export async function completeRedirect(url: string, returnUrl: string, options: ShopperOptions = {}): Promise<Record<string, string>> {
  const fetchFn = options.fetch ?? fetch;
  const maxSteps = options.maxSteps ?? 10;
  const cookies = new CookieJar();
  let step: Step = { method: 'GET', url: absolute(url, undefined, 'the next action URL') };
  let submitted = false;
  let chosen = false;
  for (let n = 1; n <= maxSteps; n++) {
    const response = await send(fetchFn, step, cookies, options.signal);
    cookies.keep(step.url, response.headers);
    const where = `${step.method} ${step.url.href}`;
    if (REDIRECTS.has(response.status)) {
      const location = response.headers.get('location');
      if (!location) throw new ShopperError(`${where} answered ${response.status} without a Location`);
      const next = absolute(location, step.url, `the Location of ${where}`);
      await response.body?.cancel();
      if (next.href.startsWith(returnUrl)) return Object.fromEntries(next.searchParams);
      step = response.status === 307 || response.status === 308 ? { ...step, url: next } : { method: 'GET', url: next };
      continue;
    }
    const html = await response.text();
    if (response.status < 200 || response.status >= 300) throw new ShopperError(`${where} answered ${response.status}: ${excerpt(html)}`);
    const forms = parseForms(html);
    const back = forms.find((form) => resolveAction(form, step.url).href.startsWith(returnUrl));
    if (back) return Object.fromEntries(back.fields);
    const form = forms[0];
    if (!form) {
      const after = submitted ? ' after the challenge form was submitted' : '';
      throw new ShopperError(`${where} answered a page with no form and no way back to ${returnUrl}${after}: ${excerpt(html)}`);
    }
    // The choice is the challenge's: the first form with buttons. Forms without any only pass the shopper on.
    step = submission(form, step.url, chosen ? 'first' : (options.choice ?? 'first'), where);
    submitted = true;
    chosen ||= form.buttons.length > 0;
  }
  throw new ShopperError(`no way back to ${returnUrl} within ${maxSteps} requests from ${url}`);
}

function submission(form: HtmlForm, page: URL, choice: 'first' | number, where: string): Step {
  const index = choice === 'first' ? 0 : choice;
  const button = form.buttons.length > 0 ? form.buttons[index] : undefined;
  if (form.buttons.length > 0 && !button) throw new ShopperError(`the form of ${where} has ${form.buttons.length} submit buttons, no button #${index}`);
  const fields = new URLSearchParams(form.fields);
  if (button?.name) fields.append(button.name, button.value);
  const url = resolveAction(form, page);
  if (form.method === 'POST') return { method: 'POST', url, body: fields.toString() };
  url.search = fields.toString();
  return { method: 'GET', url };
}

async function send(fetchFn: typeof fetch, step: Step, cookies: CookieJar, signal: AbortSignal | undefined): Promise<Response> {
  const headers: Record<string, string> = { accept: 'text/html' };
  const cookie = cookies.header(step.url);
  if (cookie) headers.cookie = cookie;
  if (step.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  try {
    return await fetchFn(step.url.href, { method: step.method, headers, body: step.body, redirect: 'manual', signal });
  } catch (error) {
    const why = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
    throw new ShopperError(`${step.method} ${step.url.href} failed: ${why}`);
  }
}

function resolveAction(form: HtmlForm, page: URL): URL {
  const url = new URL(form.action.trim() || page.href, page);
  url.hash = '';
  return url;
}

function absolute(location: string, base: URL | undefined, what: string): URL {
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    throw new ShopperError(`${what} ${JSON.stringify(location)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ShopperError(`${what} ${JSON.stringify(location)} is not an http(s) URL`);
  return url;
}

const excerpt = (html: string) => {
  const text = html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return JSON.stringify(text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT - 1)}…` : text);
};

/** Cookies by host, names and values only: what a page that keeps a session between its steps needs. */
class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  keep(url: URL, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const pair = line.split(';', 1)[0]!;
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const jar = this.byHost.get(url.host) ?? new Map<string, string>();
      jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
      this.byHost.set(url.host, jar);
    }
  }

  header(url: URL): string | null {
    const jar = this.byHost.get(url.host);
    return jar && jar.size > 0 ? [...jar].map(([name, value]) => `${name}=${value}`).join('; ') : null;
  }
}
