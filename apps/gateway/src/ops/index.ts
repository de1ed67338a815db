/** The ops feature's public file. */
export { OpsModule } from './ops.module.js';
export { CreateMerchant, type CreatedMerchant } from './create-merchant.js';
