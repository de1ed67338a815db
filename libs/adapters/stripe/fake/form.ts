/** A form-decoded value the way Stripe reads one: strings, nested by bracket notation (`a[b][0]=x`). */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/** `a[b][c]=1&list[0]=x&list[1]=y` → `{a: {b: {c: '1'}}, list: ['x', 'y']}` (indexes and `[]` make arrays). */
export function parseForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const [head, ...rest] = rawKey.split('[');
    const path = [head!, ...rest.map((part) => part.replace(/\]$/, ''))];
    let node: FormObject | FormValue[] = root;
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1]!);
      const key: string | number = Array.isArray(node) ? (segment === '' ? node.length : Number(segment)) : segment;
      const container = node as Record<string | number, FormValue>;
      if (last) container[key] = value;
      else {
        container[key] ??= nextIsIndex ? [] : {};
        node = container[key] as FormObject | FormValue[];
      }
    });
  }
  return root;
}

/** A string field of a parsed form, or undefined. */
export function text(form: FormObject, key: string): string | undefined {
  const value = form[key];
  return typeof value === 'string' ? value : undefined;
}

export function child(form: FormObject, key: string): FormObject {
  const value = form[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
