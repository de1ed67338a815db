import type { RoutingPreview } from './preview-route.js';

/** The answer of POST /v1/routing/preview. */
export function presentRoutingPreview(preview: RoutingPreview) {
  return {
    object: 'routing_preview',
    amount: preview.facts.amount,
    currency: preview.facts.currency,
    payment_id: preview.pinnedTo,
    candidates: preview.candidates.map((c) => ({ path: c.path.join('/'), eligible: c.eligible, fee: c.fee, reason: c.reason, breaker: c.breaker })),
    skipped: preview.skipped.map((s) => ({ path: s.path.join('/'), reason: s.reason })),
  };
}
