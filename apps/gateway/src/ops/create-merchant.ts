import { Injectable } from '@nestjs/common';
import { displayPrefix, generateApiKey, generatePublishableKey, hashSecret, MerchantsRepository } from '../auth/index.js';
import { newId } from '../common/ids.js';

export interface CreateMerchantCommand {
  name: string;
  /** Origins (scheme://host[:port]) whose pages may tokenize with the publishable key. */
  allowedOrigins: string[];
  cascadeOptIn: boolean;
}

/** A new merchant with the keys it was given: the keys are in this result only. */
export interface CreatedMerchant {
  id: string;
  name: string;
  allowedOrigins: string[];
  cascadeOptIn: boolean;
  apiKey: string;
  publishableKey: string;
}

const keyRecord = (key: string) => ({ id: newId('key'), hash: hashSecret(key), prefix: displayPrefix(key) });

/** Creates a merchant with its first secret and publishable keys; they are returned once and only their hashes are kept. */
@Injectable()
export class CreateMerchant {
  constructor(private readonly merchants: MerchantsRepository) {}

  async execute({ name, allowedOrigins, cascadeOptIn }: CreateMerchantCommand): Promise<CreatedMerchant> {
    const apiKey = generateApiKey();
    const publishableKey = generatePublishableKey();
    const id = newId('mer');
    await this.merchants.create({ id, name, allowedOrigins, cascadeOptIn, apiKey: keyRecord(apiKey), publishableKey: keyRecord(publishableKey) });
    return { id, name, allowedOrigins, cascadeOptIn, apiKey, publishableKey };
  }
}
