import { describe, expect, it } from 'vitest';
import { challengePage, isReturnUrl, returnLocation } from './challenge-page.html.js';

describe('challenge page html', () => {
  it.each([
    ['https://gw.test/return', 'https://gw.test/return?sim_challenge=t_1'],
    ['https://gw.test/return?p=pay_1', 'https://gw.test/return?p=pay_1&sim_challenge=t_1'],
    ['https://gw.test/return?', 'https://gw.test/return?sim_challenge=t_1'],
    ['https://gw.test/return?a=1&', 'https://gw.test/return?a=1&sim_challenge=t_1'],
    ['https://gw.test/return?a=1#done', 'https://gw.test/return?a=1&sim_challenge=t_1#done'],
  ])('returns the shopper from %s to %s', (returnUrl, location) => {
    expect(returnLocation({ returnUrl, token: 't_1' })).toBe(location);
  });

  it.each([
    ['https://gw.test/r?x=1', true],
    ['http://127.0.0.1:3000/v1/payments/pay_1/return', true],
    ['/relative', false],
    ['javascript:alert(1)', false],
    ['https://gw.test/a b', false],
    ['https://gw.test/\r\nSet-Cookie:x', false],
    ['https://gw.test/é', false],
  ])('%j is a return URL: %s', (url, ok) => {
    expect(isReturnUrl(url)).toBe(ok);
  });

  it('escapes what it shows and posts to the page itself', () => {
    const html = challengePage({ token: 't', state: 'waiting', pageUrl: 'http://h/challenges/t?"<', returnUrl: 'https://r', amount: 1000, currency: 'EUR' });
    expect(html).toContain('action="http://h/challenges/t?&quot;&lt;"');
    expect(html).toContain('method="post"');
    expect(html.indexOf('value="complete"')).toBeLessThan(html.indexOf('value="fail"'));
  });
});
