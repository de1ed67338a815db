import type { Customer, PaymentMethod } from '#persistence';
import type { IssuedToken } from '../../vault/index.js';

/** A token: the card's display data only. */
export function presentToken(token: IssuedToken) {
  const { card } = token;
  return {
    id: token.id,
    object: 'token',
    card: { brand: card.brand, last4: card.last4, exp_month: card.expMonth, exp_year: card.expYear },
    used: token.usedAt !== null,
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt.toISOString(),
  };
}

export function presentCustomer(customer: Customer) {
  return { id: customer.id, object: 'customer', name: customer.name, email: customer.email, created_at: customer.createdAt.toISOString() };
}

/** A saved method: display data and fingerprint, never more of the card. */
export function presentPaymentMethod(method: PaymentMethod) {
  return {
    id: method.id,
    object: 'payment_method',
    type: 'card',
    card: { brand: method.brand, last4: method.last4, exp_month: method.expMonth, exp_year: method.expYear, fingerprint: method.fingerprint },
    customer: method.detachedAt === null ? method.customerId : null,
    detached_at: method.detachedAt?.toISOString() ?? null,
    created_at: method.createdAt.toISOString(),
  };
}
