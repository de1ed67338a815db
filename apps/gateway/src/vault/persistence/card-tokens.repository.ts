import { Inject, Injectable } from '@nestjs/common';
import { type CardToken, part, Prisma, PRISMA, type PrismaClient, type StatementPart, step, type TransactionStep } from '#persistence';

/** A token to store; its card is the row of the unit's part `cardPart`. */
export interface NewCardToken {
  id: string;
  merchantId: string;
  createdAt: Date;
  expiresAt: Date;
}

export const CARD_TOKEN_PART = 'card_token';

/**
 * The card tokens: single use (`used_at`), short-lived (`expires_at`), the merchant's only. Times
 * are this process's clock, like the expiry written when the token was made.
 */
@Injectable()
export class CardTokensRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  issuePart(token: NewCardToken, cardPart: string): StatementPart {
    return part(
      CARD_TOKEN_PART,
      Prisma.sql`
        INSERT INTO card_tokens (id, merchant_id, vault_card_id, expires_at, created_at)
        SELECT ${token.id}::text, ${token.merchantId}::text, c.id, ${token.expiresAt}::timestamp(3), ${token.createdAt}::timestamp(3)
          FROM ${Prisma.raw(cardPart)} c
        RETURNING id`,
    );
  }

  /** The merchant's token, used or not, expired or not. */
  async find(merchantId: string, id: string): Promise<CardToken | undefined> {
    return (await this.prisma.cardToken.findFirst({ where: { id, merchantId } })) ?? undefined;
  }

  /** Uses the token up in its own commit; false when it is not the merchant's, used, or expired. */
  async use(merchantId: string, id: string): Promise<boolean> {
    const now = new Date();
    const { count } = await this.prisma.cardToken.updateMany({ where: usable(merchantId, id, now), data: { usedAt: now } });
    return count > 0;
  }

  /** The same, as a step of the caller's unit: throws `refusal()` when no token was used up (rolling the unit back). */
  useStep(merchantId: string, id: string, refusal: () => Error): TransactionStep {
    return step(async (tx) => {
      const now = new Date();
      const { count } = await tx.cardToken.updateMany({ where: usable(merchantId, id, now), data: { usedAt: now } });
      if (count === 0) throw refusal();
    });
  }
}

function usable(merchantId: string, id: string, now: Date) {
  return { id, merchantId, usedAt: null, expiresAt: { gt: now } };
}
