export { stripeAdapter } from './stripe.adapter.js';
export { StripeNode, type StripeDeps } from './stripe.node.js';
export { createStripeClient, baseUrlOptions, type StripeClient, type StripeCall } from './stripe.client.js';
export { parseStripeOptions, validateStripeOptions, DEFAULT_STRIPE_OPTIONS, type StripeOptions } from './stripe.options.js';
export { STRIPE_VERDICTS, verdict, type Situation, type Verdict } from './stripe.codes.js';
export { toCreateParams, statusOfIntent, authorizeAnswer, authorizeFailure, operationFailure, factsOfError, redirectOf } from './stripe.mapping.js';
export { factsOfEvent } from './stripe.events.js';
export { parseStripeNotification, STRIPE_WEBHOOK_REPLY } from './stripe.notifications.js';
