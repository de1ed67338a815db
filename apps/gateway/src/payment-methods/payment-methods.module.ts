import { Module } from '@nestjs/common';
import { VaultModule } from '../vault/index.js';
import { ChargeSources } from './charge-sources.js';
import { CustomersController } from './http/customers.controller.js';
import { PaymentMethodsController } from './http/payment-methods.controller.js';
import { TokensController } from './http/tokens.controller.js';
import { CustomersRepository } from './persistence/customers.repository.js';
import { PaymentMethodsRepository } from './persistence/payment-methods.repository.js';
import { DetachPaymentMethod } from './detach-payment-method.js';
import { SavePaymentMethod } from './save-payment-method.js';
import { TokenizeCard } from './tokenize-card.js';

/**
 * What merchants keep of cards, outside the vault: tokens (`/v1/tokens`), customers
 * (`/v1/customers`) and saved payment methods (`/v1/payment_methods`), each pointing at a vault card
 * and holding its display data only.
 */
@Module({
  imports: [VaultModule],
  controllers: [TokensController, CustomersController, PaymentMethodsController],
  providers: [CustomersRepository, PaymentMethodsRepository, ChargeSources, SavePaymentMethod, DetachPaymentMethod, TokenizeCard],
  exports: [CustomersRepository, ChargeSources, SavePaymentMethod],
})
export class PaymentMethodsModule {}
