import { HARD_DECLINE_CODES, UNIFIED_CODES, type AuthorizeOutcome, type AuthorizeRequest, type UnifiedCode } from '#gateway-spi';

/**
 * What a router may do after a child declined with a code: try its next child (`cascade`), do so
 * only for merchants that opted in (`opt_in`), or answer the decline (`never`).
 */
export const CASCADE_RULES = ['cascade', 'opt_in', 'never'] as const;
export type CascadeRule = (typeof CASCADE_RULES)[number];

/**
 * The default cascade table. Retried elsewhere: declines that say this route could not get an
 * answer now (the issuer was unreachable or busy, a processing error). Never: what the card holder's
 * bank decided about the card or the shopper (funds, expiry, CVC, fraud, stolen, authentication),
 * which another acquirer would hear again, and retrying fraud or stolen-card declines is what the
 * schemes fine. `do_not_honor` is the issuer's generic refusal: sometimes an acquirer-side issue,
 * often not, so only for merchants that opt in.
 */
export const DEFAULT_CASCADE_TABLE: Readonly<Record<UnifiedCode, CascadeRule>> = {
  try_again_later: 'cascade',
  issuer_unavailable: 'cascade',
  processing_error: 'cascade',
  provider_unavailable: 'cascade',
  provider_timeout: 'cascade',
  do_not_honor: 'opt_in',
  card_declined: 'never',
  insufficient_funds: 'never',
  expired_card: 'never',
  incorrect_cvc: 'never',
  invalid_card_number: 'never',
  authentication_required: 'never',
  authentication_failed: 'never',
  authentication_abandoned: 'never',
  suspected_fraud: 'never',
  stolen_card: 'never',
  currency_not_supported: 'never',
  no_route: 'never',
  operation_not_supported: 'never',
};

/**
 * The declines after which a merchant-initiated payment may be retried, whatever the table says.
 * Visa's retry rules (2021) sort decline codes in four categories: 1 "issuer will never approve"
 * (pick up, lost, stolen, invalid account: no retry), 2 "cannot approve at this time"
 * (issuer unavailable, system malfunction, try again: retries allowed, at most 15 in 30 days),
 * 3 "data quality" (expiry, CVC: only after correcting the data) and 4 generic. Mastercard's
 * merchant advice codes make the same split (not read yet: no adapter maps them). A cascade corrects
 * no data, so only category 2 declines cascade; insufficient funds (also category 2) is excluded
 * because another acquirer reaches the same account within the same second, and the generic
 * `do_not_honor` is not retried for merchant-initiated payments even where a merchant opted in.
 */
/**
 * Declines no router config may cascade: what the card holder's bank decided about the card, its
 * funds or the shopper. Retrying them elsewhere is what the schemes fine (excessive reattempts) and
 * fraud screening flags. Only `card_declined` (generic) and `do_not_honor` of the hard declines may
 * be overridden.
 */
export const NEVER_CASCADED: ReadonlySet<UnifiedCode> = new Set([...HARD_DECLINE_CODES].filter((code) => code !== 'card_declined' && code !== 'do_not_honor'));

export const MERCHANT_INITIATED_RETRYABLE: ReadonlySet<UnifiedCode> = new Set(['try_again_later', 'issuer_unavailable', 'processing_error']);

export interface CascadeSettings {
  /** Extra attempts this router may make after declines, per payment (0: no cascading). */
  maxAttempts: number;
  /** A cascade attempt needs at least this much of the request's deadline left (ms). */
  minBudgetMs: number;
  /** Overrides of the default table, by code. */
  codes: Partial<Record<UnifiedCode, CascadeRule>>;
}

export const DEFAULT_CASCADE: CascadeSettings = { maxAttempts: 0, minBudgetMs: 200, codes: {} };

type Declined = Pick<AuthorizeOutcome, 'outcome' | 'code'>;

/** Whether a router retries a declined attempt on its next candidate (budget aside). */
export class CascadePolicy {
  readonly maxAttempts: number;
  readonly minBudgetMs: number;
  private readonly table: Readonly<Record<UnifiedCode, CascadeRule>>;

  constructor(settings: CascadeSettings = DEFAULT_CASCADE) {
    this.maxAttempts = settings.maxAttempts;
    this.minBudgetMs = settings.minBudgetMs;
    const allowed = Object.entries(settings.codes).filter(([code]) => !NEVER_CASCADED.has(code as UnifiedCode));
    this.table = { ...DEFAULT_CASCADE_TABLE, ...Object.fromEntries(allowed) };
  }

  ruleOf(code: UnifiedCode): CascadeRule {
    return this.table[code] ?? 'never';
  }

  /** Null when the decline may cascade; else why it may not (logged and kept for the answer). */
  refusal(declined: Declined, request: Pick<AuthorizeRequest, 'initiator' | 'cascadeOptIn'>, cascadesSoFar: number): string | null {
    if (declined.outcome !== 'declined') return `${declined.outcome} is not a decline`;
    if (this.maxAttempts === 0) return 'cascading is off';
    if (cascadesSoFar >= this.maxAttempts) return `cascade limit ${this.maxAttempts} reached`;
    const code = declined.code ?? 'card_declined';
    if (request.initiator === 'merchant' && !MERCHANT_INITIATED_RETRYABLE.has(code)) return `${code}: a merchant-initiated payment is not retried (scheme rules)`;
    const rule = this.ruleOf(code);
    if (rule === 'never') return `${code} is never cascaded`;
    if (rule === 'opt_in' && request.cascadeOptIn !== true) return `${code} is cascaded only for merchants that opt in`;
    return null;
  }
}

export function isUnifiedCode(value: string): value is UnifiedCode {
  return (UNIFIED_CODES as readonly string[]).includes(value);
}
