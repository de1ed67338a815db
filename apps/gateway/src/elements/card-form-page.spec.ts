import { describe, expect, it } from 'vitest';
import { escapeHtml, fillTemplate, framedOnlyBy } from './card-form-page.js';

describe('card form page', () => {
  it('escapes what could end an attribute or open a tag', () => {
    expect(escapeHtml(`"><script>alert('x')</script>&`)).toBe('&#34;&#62;&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;&#38;');
  });

  it('fills every placeholder with its escaped value', () => {
    const page = fillTemplate('<form data-key="{{key}}" data-origin="{{origin}}">{{key}}</form>', { key: 'pk_"1', origin: 'https://a.example' });
    expect(page).toBe('<form data-key="pk_&#34;1" data-origin="https://a.example">pk_&#34;1</form>');
  });

  it('refuses a template that names a value it was not given', () => {
    expect(() => fillTemplate('<p>{{missing}}</p>', {})).toThrow('{{missing}}');
  });

  it('replaces only frame-ancestors in the policy', () => {
    const policy = "default-src 'self';script-src 'self';frame-ancestors 'none';object-src 'none'";
    expect(framedOnlyBy(policy, 'https://shop.example')).toBe(
      "default-src 'self';script-src 'self';object-src 'none';frame-ancestors https://shop.example",
    );
    expect(framedOnlyBy("default-src 'self'", 'https://shop.example')).toBe("default-src 'self';frame-ancestors https://shop.example");
  });
});
