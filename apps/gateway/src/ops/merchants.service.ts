import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '#persistence';
import { displayPrefix, generateApiKey, hashSecret } from '../auth/api-keys.js';
import { newId } from '../common/ids.js';
import { PRISMA } from '../common/tokens.js';

@Injectable()
export class MerchantsService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Creates a merchant with its first API key; the key is returned once and only its hash is kept. */
  async create(name: string): Promise<{ id: string; name: string; apiKey: string }> {
    const apiKey = generateApiKey();
    const id = newId('mer');
    await this.prisma.merchant.create({
      data: {
        id,
        name,
        apiKeys: { create: { id: newId('key'), hash: hashSecret(apiKey), prefix: displayPrefix(apiKey) } },
      },
    });
    return { id, name, apiKey };
  }
}
