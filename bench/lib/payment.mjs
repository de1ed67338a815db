// The one payment every measurement sends: an approved EUR card payment captured at once (the
// API's default, and the heavier write path: two events in the record transaction).

export const PAYMENT_BODY = Object.freeze({
  amount: 1000,
  currency: 'EUR',
  capture: true,
  payment_method: { type: 'card', card: { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' } },
  customer: { country: 'DE' },
  description: 'bench order',
  metadata: { order: '42' },
});

export const PAYMENT_JSON = JSON.stringify(PAYMENT_BODY);

/**
 * A tree whose route path has `depth` nodes: depth-1 priority routers nested over one simulator
 * leaf (depth 1 is the leaf alone). The gateway under test runs depth 3: root/l2/leaf.
 */
export function chainTreeConfig(depth) {
  let node = { id: 'leaf', type: 'simulator' };
  for (let level = depth - 1; level >= 1; level -= 1) {
    node = { id: level === 1 ? 'root' : `l${level}`, type: 'router', strategy: 'priority', children: [node] };
  }
  return { root: node };
}

/** The AuthorizeRequest the gateway builds for PAYMENT_BODY (see create-payment.ts). */
export function authorizeRequest(paymentId, spi) {
  const card = PAYMENT_BODY.payment_method.card;
  return {
    paymentId,
    attemptId: spi.attemptIdFor(paymentId, 1),
    attemptSeq: 1,
    merchantId: 'mer_bench',
    amount: PAYMENT_BODY.amount,
    currency: PAYMENT_BODY.currency,
    capture: PAYMENT_BODY.capture,
    paymentMethod: {
      type: 'card',
      card: { number: card.number, expMonth: card.exp_month, expYear: card.exp_year, cvc: card.cvc },
      display: spi.maskCard({ number: card.number, expMonth: card.exp_month, expYear: card.exp_year }),
    },
    customerCountry: PAYMENT_BODY.customer.country,
    metadata: PAYMENT_BODY.metadata,
  };
}
