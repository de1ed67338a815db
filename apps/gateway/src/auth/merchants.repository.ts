import { Inject, Injectable } from '@nestjs/common';
import { Prisma, PRISMA, type PrismaClient, SQL, type SqlClient } from '#persistence';

export type ApiKeyKind = 'secret' | 'publishable';

/** An API key as authentication needs it: whose it is, what it may do, and whether it still works. */
export interface ApiKeyOwner {
  merchantId: string;
  revoked: boolean;
  kind: ApiKeyKind;
  /** The merchant's origins whose pages may tokenize with its publishable key. */
  allowedOrigins: string[];
  /** The merchant lets routers retry `opt_in` declines (do_not_honor) on another child. */
  cascadeOptIn: boolean;
}

interface NewApiKey {
  id: string;
  hash: string;
  prefix: string;
}

/** A merchant to record with its first keys (of which only the hashes and display prefixes are kept). */
export interface NewMerchant {
  id: string;
  name: string;
  allowedOrigins: string[];
  cascadeOptIn: boolean;
  apiKey: NewApiKey;
  publishableKey: NewApiKey;
}

/** A merchant's settings, without its keys. */
export interface MerchantSettings {
  id: string;
  name: string;
  allowedOrigins: string[];
  cascadeOptIn: boolean;
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
    const [record] = await this.sql.query<{ merchant_id: string; revoked: boolean; kind: ApiKeyKind; allowed_origins: string[] | null; cascade_opt_in: boolean }>(
      Prisma.sql`
        SELECT k.merchant_id, k.revoked_at IS NOT NULL AS revoked, k.kind, m.allowed_origins, m.cascade_opt_in
          FROM api_keys k JOIN merchants m ON m.id = k.merchant_id
         WHERE k.hash = ${hash}`,
    );
    return (
      record && {
        merchantId: record.merchant_id,
        revoked: record.revoked,
        kind: record.kind,
        allowedOrigins: record.allowed_origins ?? [],
        cascadeOptIn: record.cascade_opt_in,
      }
    );
  }

  /** Records the merchant with its first keys. */
  async create(merchant: NewMerchant): Promise<void> {
    await this.prisma.merchant.create({
      data: {
        id: merchant.id,
        name: merchant.name,
        allowedOrigins: merchant.allowedOrigins,
        cascadeOptIn: merchant.cascadeOptIn,
        apiKeys: {
          create: [
            { ...merchant.apiKey, kind: 'secret' },
            { ...merchant.publishableKey, kind: 'publishable' },
          ],
        },
      },
    });
  }

  /** Sets what the merchant lets routers do; false when there is no such merchant. */
  async updateCascadeOptIn(id: string, cascadeOptIn: boolean): Promise<MerchantSettings | null> {
    const [row] = await this.sql.query<{ id: string; name: string; allowed_origins: string[]; cascade_opt_in: boolean }>(
      Prisma.sql`UPDATE merchants SET cascade_opt_in = ${cascadeOptIn} WHERE id = ${id} RETURNING id, name, allowed_origins, cascade_opt_in`,
    );
    return row ? { id: row.id, name: row.name, allowedOrigins: row.allowed_origins, cascadeOptIn: row.cascade_opt_in } : null;
  }
}
