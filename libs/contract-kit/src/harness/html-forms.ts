/**
 * Just enough HTML form reading for the shopper: the forms of a page, their fields and submit buttons.
 * Regexes over `<form>`, `<input>`, `<button>`, `<textarea>`: challenge pages are small and plain.
 */

export interface SubmitButton {
  name: string | null;
  value: string;
}

export interface HtmlForm {
  /** As written; empty when absent (the form then submits to its page). */
  action: string;
  method: 'GET' | 'POST';
  /** Named fields in document order (submit buttons excluded). */
  fields: Array<[string, string]>;
  buttons: SubmitButton[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

/** The attributes of a start tag's inside (`name="x" value='y' checked`), names in lower case. */
export function attributes(inside: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of inside.matchAll(/([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g)) {
    const name = m[1]!.toLowerCase();
    if (!found.has(name)) found.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return found;
}

const NOT_FIELDS = new Set(['submit', 'image', 'button', 'reset', 'file']);

function formOf(attrs: Map<string, string>, inner: string): HtmlForm {
  const fields: Array<[string, string]> = [];
  const buttons: SubmitButton[] = [];
  const controls = /<(input|button)\b((?:[^>"']|"[^"]*"|'[^']*')*)>|<(textarea)\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/textarea\s*>/gi;
  for (const m of inner.matchAll(controls)) {
    const tag = (m[1] ?? m[3]!).toLowerCase();
    const a = attributes(m[2] ?? m[4]!);
    if (a.has('disabled')) continue;
    const name = a.get('name') ?? null;
    const type = (a.get('type') ?? (tag === 'button' ? 'submit' : 'text')).toLowerCase();
    if (tag === 'textarea') {
      if (name) fields.push([name, decodeEntities(m[5]!)]);
    } else if (type === 'submit' || (tag === 'input' && type === 'image')) {
      buttons.push({ name, value: a.get('value') ?? '' });
    } else if (tag === 'input' && name && !NOT_FIELDS.has(type)) {
      if ((type === 'checkbox' || type === 'radio') && !a.has('checked')) continue;
      fields.push([name, a.get('value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
    }
  }
  return { action: attrs.get('action') ?? '', method: attrs.get('method')?.toUpperCase() === 'POST' ? 'POST' : 'GET', fields, buttons };
}

/** Every `<form>` of `html`, in document order. */
export function parseForms(html: string): HtmlForm[] {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  const forms = /<form\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/form\s*>/gi;
  return [...withoutComments.matchAll(forms)].map((m) => formOf(attributes(m[1]!), m[2]!));
}
