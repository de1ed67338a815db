import { Injectable } from '@nestjs/common';
import { displayPrefix, generateApiKey, hashSecret, MerchantsRepository } from '../auth/index.js';
import { newId } from '../common/ids.js';

export interface CreateMerchantCommand {
  name: string;
}

/** A new merchant with the API key it was given: the key is in this result only. */
export interface CreatedMerchant {
  id: string;
  name: string;
  apiKey: string;
}

/** Creates a merchant with its first API key; the key is returned once and only its hash is kept. */
@Injectable()
export class CreateMerchant {
  constructor(private readonly merchants: MerchantsRepository) {}

  async execute({ name }: CreateMerchantCommand): Promise<CreatedMerchant> {
    const apiKey = generateApiKey();
    const id = newId('mer');
    await this.merchants.create({ id, name, apiKey: { id: newId('key'), hash: hashSecret(apiKey), prefix: displayPrefix(apiKey) } });
    return { id, name, apiKey };
  }
}
