import { Inject, Injectable } from '@nestjs/common';
import type { CardBrand } from '#gateway-spi';
import { part, Prisma, PRISMA, type PrismaClient, SQL, type SqlClient, type StatementPart } from '#persistence';
import type { Envelope } from '../envelope.js';
import type { VaultedCard } from '../vault-card.js';

/** A card to store: its display data and its sealed number. */
export type NewVaultCard = VaultedCard & Envelope;

/** What opening a card reads: the only read of the sealed columns. */
export interface SealedCard extends Envelope {
  id: string;
  expMonth: number;
  expYear: number;
}

/** A card's data key as the re-seal reads it. */
export type SealedDataKey = Pick<Envelope, 'sealedDataKey' | 'kekId'> & { id: string };

/** The name of the part that inserts a vault card (later parts read its `id`). */
export const VAULT_CARD_PART = 'vault_card';

const DISPLAY = { id: true, merchantId: true, fingerprint: true, brand: true, bin: true, last4: true, expMonth: true, expYear: true } as const;
const SQL_NAME = /^[a-z_][a-z0-9_]*$/i;

/** The vault's cards. Nothing outside this module reads `sealed_number` or `sealed_data_key`. */
@Injectable()
export class VaultCardsRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SQL) private readonly sql: SqlClient,
  ) {}

  /** The write that stores `card`; with `gate`, only if that part of the unit returned a row. */
  insertPart(card: NewVaultCard, gate?: string): StatementPart {
    if (gate !== undefined && !SQL_NAME.test(gate)) throw new Error(`not a part name: ${gate}`);
    const now = new Date();
    const values = Prisma.sql`${card.id}::text, ${card.merchantId}::text, ${card.fingerprint}::text, ${card.brand}::text, ${card.bin}::text,
          ${card.last4}::text, ${card.expMonth}::int, ${card.expYear}::int, ${card.sealedNumber}::text, ${card.sealedDataKey}::text,
          ${card.kekId}::text, ${now}::timestamp(3), ${now}::timestamp(3)`;
    return part(
      VAULT_CARD_PART,
      Prisma.sql`
        INSERT INTO vault_cards (id, merchant_id, fingerprint, brand, bin, last4, exp_month, exp_year, sealed_number, sealed_data_key,
          kek_id, created_at, updated_at)
        ${gate === undefined ? Prisma.sql`VALUES (${values})` : Prisma.sql`SELECT ${values} FROM ${Prisma.raw(gate)}`}
        RETURNING id`,
    );
  }

  async findDisplay(merchantId: string, id: string): Promise<VaultedCard | undefined> {
    const card = await this.prisma.vaultCard.findFirst({ where: { id, merchantId }, select: DISPLAY });
    return card ? { ...card, brand: card.brand as CardBrand } : undefined;
  }

  async findSealed(id: string): Promise<SealedCard | undefined> {
    const card = await this.prisma.vaultCard.findUnique({
      where: { id },
      select: { id: true, expMonth: true, expYear: true, sealedNumber: true, sealedDataKey: true, kekId: true },
    });
    return card ?? undefined;
  }

  /** Up to `limit` data keys sealed by one of `kekIds`, of cards after `after` (by id). */
  dataKeysSealedBy(kekIds: readonly string[], after: string, limit: number): Promise<SealedDataKey[]> {
    return this.prisma.vaultCard.findMany({
      where: { kekId: { in: [...kekIds] }, id: { gt: after } },
      select: { id: true, sealedDataKey: true, kekId: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /**
   * Replaces data keys in one statement, each only if its row still holds the key that was read
   * (another process may have re-sealed it meanwhile); returns how many rows were rewritten.
   */
  async replaceDataKeys(replacements: readonly { read: SealedDataKey; next: Pick<Envelope, 'sealedDataKey' | 'kekId'> }[]): Promise<number> {
    if (replacements.length === 0) return 0;
    const column = (pick: (r: (typeof replacements)[number]) => string) => replacements.map(pick);
    const rows = await this.sql.query<{ id: string }>(Prisma.sql`
      UPDATE vault_cards v
         SET sealed_data_key = r.next_key, kek_id = r.next_kek_id, updated_at = ${new Date()}::timestamp(3)
        FROM unnest(${column((r) => r.read.id)}::text[], ${column((r) => r.read.sealedDataKey)}::text[], ${column((r) => r.read.kekId)}::text[],
                    ${column((r) => r.next.sealedDataKey)}::text[], ${column((r) => r.next.kekId)}::text[])
             AS r(id, read_key, read_kek_id, next_key, next_kek_id)
       WHERE v.id = r.id AND v.sealed_data_key = r.read_key AND v.kek_id = r.read_kek_id
      RETURNING v.id`);
    return rows.length;
  }
}
