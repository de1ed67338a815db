/** The payment-methods feature's public file: tokens, customers and saved methods, as payments use them. */
export { PaymentMethodsModule } from './payment-methods.module.js';
export { type ChargeSource, ChargeSources } from './charge-sources.js';
export { CustomersRepository } from './persistence/customers.repository.js';
export { type MethodToSave, SavePaymentMethod } from './save-payment-method.js';
export { vaultUnavailable, withVault } from './tokenize-card.js';
