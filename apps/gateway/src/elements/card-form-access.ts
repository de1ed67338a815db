import type { ApiKeyOwner } from '../auth/index.js';

/** Finds the owner of an API key by the key itself (hashing is the caller's business). */
export type ApiKeyLookup = (key: string) => Promise<ApiKeyOwner | undefined>;

/** The form may open: for this publishable key, framed by (and answering to) this exact origin. */
export interface CardFormGrant {
  publishableKey: string;
  parentOrigin: string;
}

/** Why the form does not open; the message is shown on the error page, so it never holds the key. */
export interface CardFormDenial {
  status: 400 | 403;
  message: string;
}

/** An origin as merchants register them (scheme, host, optional port), nothing more: no path, no query. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

/** `value` as browsers serialize origins (lower case, no default port), or undefined if it is no origin. */
export function originOf(value: string): string | undefined {
  if (!ORIGIN.test(value)) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/**
 * Decides whether `/elements/card?key=…&origin=…` may open: the key must be a live publishable
 * key, and the origin one of its merchant's allowed origins, since the page hands its tokens to
 * that origin and lets only it frame the form.
 */
export async function grantCardForm(lookup: ApiKeyLookup, key: string | undefined, origin: string | undefined): Promise<CardFormGrant | CardFormDenial> {
  if (!key) {
    return { status: 400, message: 'The card form needs the publishable key of the merchant (key=pk_…).' };
  }
  if (!origin) {
    return { status: 400, message: 'The card form needs the origin of the page that embeds it (origin=https://…).' };
  }
  const parentOrigin = originOf(origin);
  if (!parentOrigin) {
    return { status: 400, message: 'The origin parameter must be an origin like https://shop.example (scheme, host, optional port).' };
  }
  const owner = await lookup(key);
  if (!owner || owner.revoked) {
    return { status: 403, message: 'This key cannot open the card form: it is unknown or revoked.' };
  }
  if (owner.kind !== 'publishable') {
    return {
      status: 403,
      message: 'This is a secret key: it must never appear in a web page. Use the publishable key (pk_…) here, and roll the secret key.',
    };
  }
  if (!owner.allowedOrigins.some((allowed) => originOf(allowed) === parentOrigin)) {
    return { status: 403, message: `Pages of ${parentOrigin} may not embed this card form; add the origin to the merchant's allowed_origins.` };
  }
  return { publishableKey: key, parentOrigin };
}

export function isGrant(decision: CardFormGrant | CardFormDenial): decision is CardFormGrant {
  return 'parentOrigin' in decision;
}
