/** The auth feature's public file: the guards, the current merchant, API keys and the merchants' table. */
export { AuthModule } from './auth.module.js';
export { AdminAuthGuard } from './admin-auth.guard.js';
export { type AuthenticatedMerchant, CurrentMerchant, MerchantAuthGuard, TokenizationAuthGuard } from './merchant-auth.guard.js';
export { type ApiKeyKind, type ApiKeyOwner, type MerchantSettings, MerchantsRepository } from './merchants.repository.js';
export { bearerCredential, bearerToken, displayPrefix, generateApiKey, generatePublishableKey, hashSecret } from './api-keys.js';
