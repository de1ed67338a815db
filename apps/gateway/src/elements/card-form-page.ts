/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Fills the `{{name}}` placeholders of `template`, every value HTML-escaped. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the page template names {{${name}}}, which has no value`);
    return escapeHtml(value);
  });
}

/**
 * The gateway's content security policy with `frame-ancestors` set to the one origin that may
 * frame the page; every other directive stays as strict as on all answers.
 */
export function framedOnlyBy(policy: string, origin: string): string {
  const others = policy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && !/^frame-ancestors\b/i.test(directive));
  return [...others, `frame-ancestors ${origin}`].join(';');
}
