import { Global, Module } from '@nestjs/common';
import { AdminAuthGuard } from './admin-auth.guard.js';
import { MerchantAuthGuard, TokenizationAuthGuard } from './merchant-auth.guard.js';
import { MerchantsRepository } from './merchants.repository.js';

/**
 * Who is calling: the merchant of an API key, or the admin. Global, so that every feature's
 * controllers can `@UseGuards` the guards; Nest builds a guard in the module of the controller
 * that uses it, so the repository the merchant guard needs is exported too.
 */
@Global()
@Module({
  providers: [MerchantsRepository, MerchantAuthGuard, TokenizationAuthGuard, AdminAuthGuard],
  exports: [MerchantsRepository, MerchantAuthGuard, TokenizationAuthGuard, AdminAuthGuard],
})
export class AuthModule {}
