import { afterEach, describe, expect, it } from 'vitest';
import { ChallengePages, type ChallengeDesk } from './challenge-page.server.js';
import type { ChallengeView } from './simulator.ledger.js';

/** A desk holding challenges in a map, answering as the ledger does: only a waiting challenge changes. */
function desk(): ChallengeDesk & { views: Map<string, ChallengeView>; answers: boolean[] } {
  const views = new Map<string, ChallengeView>();
  const answers: boolean[] = [];
  return {
    views,
    answers,
    findChallenge: (token) => views.get(token) ?? null,
    answerChallenge(token, passed) {
      const view = views.get(token);
      if (!view) return null;
      answers.push(passed);
      if (view.state === 'waiting') view.state = passed ? 'passed' : 'refused';
      return view;
    },
  };
}

const address = { host: '127.0.0.1', port: 0, publicUrl: null };
const opened: ChallengePages[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((pages) => pages.close()));
});

async function pageOf(token: string, d = desk(), pages = new ChallengePages(address, d)) {
  opened.push(pages);
  const pageUrl = await pages.pageUrl(token);
  d.views.set(token, { token, state: 'waiting', pageUrl, returnUrl: 'https://gw.test/return?p=1', amount: 1250, currency: 'EUR' });
  return { pageUrl, desk: d, pages };
}

const post = (url: string, body: string | URLSearchParams) => fetch(url, { method: 'POST', body, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });

describe('challenge page server', () => {
  it('GET shows a POST form to the page itself whose first button completes', async () => {
    const { pageUrl } = await pageOf('tok_get');
    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toMatch(new RegExp(`<form method="post" action="${pageUrl}">`));
    expect(/<button type="submit" name="([^"]+)" value="([^"]+)"/.exec(html)?.slice(1)).toEqual(['result', 'complete']);
    expect(html).toContain('1250 EUR');
  });

  it('POST records the answer and answers 303 to the return URL with the token, keeping its query', async () => {
    const { pageUrl, desk: d } = await pageOf('tok_post');
    const answer = await post(pageUrl, 'result=complete');
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('https://gw.test/return?p=1&sim_challenge=tok_post');
    expect(d.answers).toEqual([true]);
    expect(d.views.get('tok_post')?.state).toBe('passed');
  });

  it('answers 404 for an unknown token or path, 400 for a form without a known result, 405 for another method', async () => {
    const { pageUrl } = await pageOf('tok_errors');
    const origin = new URL(pageUrl).origin;
    expect((await fetch(`${origin}/challenges/nope`)).status).toBe(404);
    expect((await fetch(`${origin}/`)).status).toBe(404);
    expect((await post(`${origin}/challenges/nope`, 'result=complete')).status).toBe(404);
    expect((await post(pageUrl, '')).status).toBe(400);
    expect((await post(pageUrl, 'result=maybe')).status).toBe(400);
    const put = await fetch(pageUrl, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await post(pageUrl, `result=complete&pad=${'x'.repeat(5000)}`)).status).toBe(413);
  });

  it('is one server shared by the nodes on the same host and port, closed when the last one leaves', async () => {
    const first = await pageOf('tok_a');
    const second = await pageOf('tok_b');
    expect(new URL(first.pageUrl).origin).toBe(new URL(second.pageUrl).origin);
    expect((await fetch(second.pageUrl)).status).toBe(200);
    expect((await fetch(first.pageUrl.replace('tok_a', 'tok_b'))).status).toBe(200);

    await first.pages.close();
    expect((await fetch(first.pageUrl)).status).toBe(404);
    expect((await fetch(second.pageUrl)).status).toBe(200);

    await second.pages.close();
    await expect(fetch(second.pageUrl)).rejects.toThrow();

    const again = await pageOf('tok_c');
    expect((await fetch(again.pageUrl)).status).toBe(200);
  });

  it('builds page URLs on the public URL, and serves them behind a proxy that keeps its path prefix', async () => {
    const direct = await pageOf('tok_direct');
    const proxiedDesk = desk();
    const proxied = await pageOf('tok_proxied', proxiedDesk, new ChallengePages({ ...address, publicUrl: 'https://shop.example/sim-3ds' }, proxiedDesk));
    expect(proxied.pageUrl).toBe('https://shop.example/sim-3ds/challenges/tok_proxied');
    const throughProxy = `${new URL(direct.pageUrl).origin}/sim-3ds/challenges/tok_proxied`;
    const html = await (await fetch(throughProxy)).text();
    expect(html).toContain('action="https://shop.example/sim-3ds/challenges/tok_proxied"');
  });

  it('HEAD answers the page without a body', async () => {
    const { pageUrl } = await pageOf('tok_head');
    const head = await fetch(pageUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('closing pages that never started does nothing', async () => {
    await expect(new ChallengePages(address, desk()).close()).resolves.toBeUndefined();
  });
});
