import type { Attempt, Payment } from '#persistence';

/** A payment with its attempts in order: what the payment API answers with, and use cases return. */
export type PaymentWithAttempts = Payment & { attempts: Attempt[] };
