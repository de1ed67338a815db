import type { ChallengeView } from './simulator.ledger.js';

/** The query parameter naming the challenge on the shopper's way back to the return URL. */
export const RETURN_PARAMETER = 'sim_challenge';

/** The form field of the page's buttons: the first completes the challenge, the second fails it. */
export const RESULT_FIELD = 'result';
export const COMPLETE = 'complete';
export const FAIL = 'fail';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

/** The challenge itself: a plain form posting back to the page, so any client that submits forms can answer it. */
export function challengePage(view: ChallengeView): string {
  return page(
    'Simulator 3-D Secure challenge',
    `<p>Authenticate the payment of ${view.amount} ${escapeHtml(view.currency)} (minor units).</p>
<form method="post" action="${escapeHtml(view.pageUrl)}">
<button type="submit" name="${RESULT_FIELD}" value="${COMPLETE}">Complete authentication</button>
<button type="submit" name="${RESULT_FIELD}" value="${FAIL}">Fail authentication</button>
</form>`,
  );
}

/** A challenge already answered: the shopper may go back (again) to the return URL. */
export function answeredPage(view: ChallengeView): string {
  return page(
    'Simulator 3-D Secure challenge answered',
    `<p>This challenge was already answered.</p>
<p><a href="${escapeHtml(returnLocation(view))}">Return to the merchant</a></p>`,
  );
}

export function messagePage(title: string, text: string): string {
  return page(title, `<p>${escapeHtml(text)}</p>`);
}

/** The return URL with the challenge's token added, keeping the URL's own query (and fragment). */
export function returnLocation(view: Pick<ChallengeView, 'returnUrl' | 'token'>): string {
  const hashAt = view.returnUrl.indexOf('#');
  const base = hashAt < 0 ? view.returnUrl : view.returnUrl.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : view.returnUrl.slice(hashAt);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${RETURN_PARAMETER}=${encodeURIComponent(view.token)}${hash}`;
}

/** A return URL the page can send the shopper to: absolute http(s), printable ASCII (what a Location header carries). */
export function isReturnUrl(value: string): boolean {
  if (/[^\x21-\x7e]/.test(value) || !URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}
