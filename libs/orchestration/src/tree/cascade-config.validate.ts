import { CASCADE_RULES, isUnifiedCode, NEVER_CASCADED, type CascadeRule, type CascadeSettings } from '../cascade-policy.js';
import { checkKeys, isMapping, nonNegativeInteger, type Report } from './config-fields.js';

const FIELDS = ['max_attempts', 'min_budget_ms', 'codes'];

/** `cascade:` of a router: how many declines it retries on its next child, and which (overrides of the table). */
export function validateCascade(raw: unknown, report: Report): Partial<CascadeSettings> | undefined {
  if (raw === undefined) return undefined;
  if (!isMapping(raw)) {
    report(`cascade must be a mapping (fields: ${FIELDS.join(', ')})`);
    return undefined;
  }
  checkKeys(raw, FIELDS, 'cascade.', report);
  const maxAttempts = nonNegativeInteger(raw.max_attempts, 'cascade.max_attempts', report);
  const minBudgetMs = nonNegativeInteger(raw.min_budget_ms, 'cascade.min_budget_ms', report);
  const codes: Partial<Record<string, CascadeRule>> = {};
  if (raw.codes !== undefined) {
    if (!isMapping(raw.codes)) report(`cascade.codes must map unified codes to one of ${CASCADE_RULES.join(', ')}`);
    else {
      for (const [code, rule] of Object.entries(raw.codes)) {
        if (!isUnifiedCode(code)) report(`cascade.codes.${code} is not a unified code`);
        else if (NEVER_CASCADED.has(code) && rule !== 'never') report(`cascade.codes.${code} cannot be changed: ${code} is never cascaded (the card holder's bank decided)`);
        else if (!(CASCADE_RULES as readonly unknown[]).includes(rule)) report(`cascade.codes.${code} must be one of ${CASCADE_RULES.join(', ')} (got ${JSON.stringify(rule)})`);
        else codes[code] = rule as CascadeRule;
      }
    }
  }
  return {
    ...(maxAttempts !== undefined && { maxAttempts }),
    ...(minBudgetMs !== undefined && { minBudgetMs }),
    codes,
  };
}
