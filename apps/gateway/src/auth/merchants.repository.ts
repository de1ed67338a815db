import { Inject, Injectable } from '@nestjs/common';
import { Prisma, PRISMA, type PrismaClient, SQL, type SqlClient } from '#persistence';

/** An API key as authentication needs it: whose it is, and whether it still works. */
export interface ApiKeyOwner {
  merchantId: string;
  revoked: boolean;
}

/** A merchant to record with its first API key (of which only the hash and display prefix are kept). */
export interface NewMerchant {
  id: string;
  name: string;
  apiKey: { id: string; hash: string; prefix: string };
}

/** The merchants and their API keys. */
@Injectable()
export class MerchantsRepository {
  constructor(
    @Inject(SQL) private readonly sql: SqlClient,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  /** The owner of the key with this hash; undefined when no key has it. */
  async findApiKey(hash: string): Promise<ApiKeyOwner | undefined> {
    // One statement on every request: through the SqlClient, not the ORM (bench/prisma-vs-pg.mjs).
    const [record] = await this.sql.query<{ merchant_id: string; revoked: boolean }>(
      Prisma.sql`SELECT merchant_id, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE hash = ${hash}`,
    );
    return record && { merchantId: record.merchant_id, revoked: record.revoked };
  }

  /** Records the merchant with its first key. */
  async create(merchant: NewMerchant): Promise<void> {
    await this.prisma.merchant.create({
      data: {
        id: merchant.id,
        name: merchant.name,
        apiKeys: { create: { id: merchant.apiKey.id, hash: merchant.apiKey.hash, prefix: merchant.apiKey.prefix } },
      },
    });
  }
}
