import { attemptIdFor, type AuthorizeRequest, maskCard } from '#gateway-spi';

/** An authorize request of payment `pay_1`'s first attempt: 1000 EUR, authorize only, with card `number`. */
export function cardRequest(number: string, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const card = { number, expMonth: 12, expYear: 2030, cvc: '123' };
  return {
    paymentId: 'pay_1',
    attemptId: attemptIdFor('pay_1', 1),
    attemptSeq: 1,
    merchantId: 'mer_1',
    amount: 1000,
    currency: 'EUR',
    capture: false,
    paymentMethod: { type: 'card', card, display: maskCard(card) },
    metadata: {},
    ...over,
  };
}
