import type { BreakerSettings } from '../child-breaker.js';
import { checkKeys, isMapping, positiveInteger, type Report } from './config-fields.js';

const BREAKER_FIELDS = ['failure_threshold', 'half_open_after_ms'];

/** `breaker:` of a router: the settings of the breaker it keeps for each child (defaults fill the rest). */
export function validateBreaker(raw: unknown, report: Report): Partial<BreakerSettings> | undefined {
  if (raw === undefined) return undefined;
  if (!isMapping(raw)) {
    report(`breaker must be a mapping (fields: ${BREAKER_FIELDS.join(', ')})`);
    return undefined;
  }
  checkKeys(raw, BREAKER_FIELDS, 'breaker.', report);
  const failureThreshold = positiveInteger(raw.failure_threshold, 'breaker.failure_threshold', report);
  const halfOpenAfterMs = positiveInteger(raw.half_open_after_ms, 'breaker.half_open_after_ms', report);
  return {
    ...(failureThreshold !== undefined && { failureThreshold }),
    ...(halfOpenAfterMs !== undefined && { halfOpenAfterMs }),
  };
}
