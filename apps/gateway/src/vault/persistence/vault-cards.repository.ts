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

/** The name of the part that keeps a vault card (`retain_until` cleared): it returns the card's `id`, or no row when the card is gone. */
export const VAULT_CARD_KEPT_PART = 'vault_card_kept';

/** The names of the parts that delete a vault card and its tokens. */
const VAULT_CARD_SHREDDED_PART = 'vault_card_shredded';
const VAULT_CARD_TOKENS_SHREDDED_PART = 'vault_card_tokens_shredded';

const DISPLAY = { id: true, merchantId: true, fingerprint: true, brand: true, bin: true, last4: true, expMonth: true, expYear: true } as const;
const SQL_NAME = /^[a-z_][a-z0-9_]*$/i;

/** The vault's cards (deleted with their tokens). Nothing outside this module reads `sealed_number` or `sealed_data_key`. */
@Injectable()
export class VaultCardsRepository {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SQL) private readonly sql: SqlClient,
  ) {}

  /** The write that stores `card`, deletable after `retainUntil`; with `gate`, only if that part of the unit returned a row. */
  insertPart(card: NewVaultCard, retainUntil: Date, gate?: string): StatementPart {
    const now = new Date();
    const values = Prisma.sql`${card.id}::text, ${card.merchantId}::text, ${card.fingerprint}::text, ${card.brand}::text, ${card.bin}::text,
          ${card.last4}::text, ${card.expMonth}::int, ${card.expYear}::int, ${card.sealedNumber}::text, ${card.sealedDataKey}::text,
          ${card.kekId}::text, ${retainUntil}::timestamp(3), ${now}::timestamp(3), ${now}::timestamp(3)`;
    return part(
      VAULT_CARD_PART,
      Prisma.sql`
        INSERT INTO vault_cards (id, merchant_id, fingerprint, brand, bin, last4, exp_month, exp_year, sealed_number, sealed_data_key,
          kek_id, retain_until, created_at, updated_at)
        ${gate === undefined ? Prisma.sql`VALUES (${values})` : Prisma.sql`SELECT ${values} FROM ${gateName(gate)}`}
        RETURNING id`,
    );
  }

  /**
   * The write that keeps the merchant's card for good (`retain_until` cleared); with `gate`, only if
   * that part of the unit returned a row. It sees committed cards only: not one inserted by the same
   * statement.
   */
  keepPart(merchantId: string, id: string, gate?: string): StatementPart {
    const gated = gate === undefined ? Prisma.empty : Prisma.sql`AND EXISTS (SELECT 1 FROM ${gateName(gate)})`;
    return part(
      VAULT_CARD_KEPT_PART,
      Prisma.sql`
        UPDATE vault_cards SET retain_until = NULL, updated_at = ${new Date()}::timestamp(3)
         WHERE id = ${id}::text AND merchant_id = ${merchantId}::text ${gated}
        RETURNING id`,
    );
  }

  /** The writes that delete the merchant's card and its tokens (none when it is gone already). */
  shredParts(merchantId: string, id: string): StatementPart[] {
    return [
      part(VAULT_CARD_SHREDDED_PART, Prisma.sql`DELETE FROM vault_cards WHERE id = ${id}::text AND merchant_id = ${merchantId}::text RETURNING id`),
      part(
        VAULT_CARD_TOKENS_SHREDDED_PART,
        Prisma.sql`DELETE FROM card_tokens WHERE vault_card_id = ${id}::text AND merchant_id = ${merchantId}::text RETURNING id`,
      ),
    ];
  }

  /**
   * Deletes up to `limit` cards whose `retain_until` is past `now`, with their tokens, in one
   * statement; returns how many cards. Cards locked by a unit in flight (one keeping them) are left
   * for the next round.
   */
  async purgeDue(now: Date, limit: number): Promise<number> {
    const [row] = await this.sql.query<{ purged: number }>(Prisma.sql`
      WITH due AS (
             SELECT id FROM vault_cards WHERE retain_until <= ${now}::timestamp(3)
              ORDER BY retain_until LIMIT ${limit}::int FOR UPDATE SKIP LOCKED),
           cards AS (DELETE FROM vault_cards v USING due WHERE v.id = due.id RETURNING v.id),
           tokens AS (DELETE FROM card_tokens t USING cards WHERE t.vault_card_id = cards.id)
      SELECT count(*)::int AS purged FROM cards`);
    return Number(row?.purged ?? 0);
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

  /** How many cards each KEK seals, by KEK id. */
  async countByKekId(): Promise<Record<string, number>> {
    const groups = await this.prisma.vaultCard.groupBy({ by: ['kekId'], _count: { _all: true }, orderBy: { kekId: 'asc' } });
    return Object.fromEntries(groups.map((group) => [group.kekId, group._count._all]));
  }

  /** How many cards a KEK other than `kekId` seals (every card without one). */
  countNotSealedBy(kekId: string | undefined): Promise<number> {
    // Two ranges rather than `<>`, so the (kek_id, id) index answers without reading every card.
    return this.prisma.vaultCard.count({ where: kekId === undefined ? {} : { OR: [{ kekId: { lt: kekId } }, { kekId: { gt: kekId } }] } });
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

/** A unit's part name, checked before it is written into SQL. */
function gateName(gate: string): Prisma.Sql {
  if (!SQL_NAME.test(gate)) throw new Error(`not a part name: ${gate}`);
  return Prisma.raw(gate);
}
