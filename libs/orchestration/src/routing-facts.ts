import type { AuthorizeRequest, RoutingFacts } from '#gateway-spi';

/** The card-free facts of an authorization that routing may look at. */
export function routingFactsOf(req: AuthorizeRequest): RoutingFacts {
  return {
    amount: req.amount,
    currency: req.currency.toUpperCase(),
    method: req.paymentMethod.type,
    brand: req.paymentMethod.display.brand,
    country: req.customerCountry?.toUpperCase(),
    merchantId: req.merchantId,
    ...(req.initiator !== undefined && { initiator: req.initiator }),
    paymentId: req.paymentId,
  };
}
