/**
 * The card number as it could leak into stored text: in clear, hex of its digits, and base64 /
 * base64url at every alignment (whatever precedes it in an encoded value, the base64 of one of its
 * three suffixes, cut to whole 3-byte groups, appears verbatim).
 */
export function numberForms(number: string): string[] {
  const forms = [number, Buffer.from(number).toString('hex')];
  for (let offset = 0; offset < 3; offset++) {
    const tail = number.slice(offset);
    const base64 = Buffer.from(tail.slice(0, tail.length - (tail.length % 3))).toString('base64');
    forms.push(base64, base64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(forms)];
}
