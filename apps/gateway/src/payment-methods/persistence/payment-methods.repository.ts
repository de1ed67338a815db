import { Inject, Injectable } from '@nestjs/common';
import { part, type PaymentMethod, Prisma, PRISMA, type PrismaClient, type StatementPart, step, type TransactionStep } from '#persistence';

/** A saved method's row as it is written (display data copied from its vault card). */
export type NewPaymentMethod = Omit<PaymentMethod, 'detachedAt' | 'createdAt'>;

/** The saved payment methods. Another merchant's method is a missing one. */
@Injectable()
export class PaymentMethodsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findOwned(merchantId: string, id: string): Promise<PaymentMethod | null> {
    return this.prisma.paymentMethod.findFirst({ where: { id, merchantId } });
  }

  /** The merchant's method saved from this vault card, if any (a card is saved once). */
  findByVaultCard(merchantId: string, vaultCardId: string): Promise<PaymentMethod | null> {
    return this.prisma.paymentMethod.findFirst({ where: { merchantId, vaultCardId } });
  }

  /**
   * A step that locks the method against a detach (FOR SHARE) for the rest of the caller's unit, and
   * throws `refusal()` when it is detached (or not the merchant's).
   */
  stillAttachedStep(merchantId: string, id: string, refusal: () => Error): TransactionStep {
    return step(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM payment_methods WHERE id = ${id} AND merchant_id = ${merchantId} AND detached_at IS NULL FOR SHARE`;
      if (rows.length === 0) throw refusal();
    });
  }

  /** The customer's methods that can be charged, newest first. */
  listAttached(merchantId: string, customerId: string): Promise<PaymentMethod[]> {
    return this.prisma.paymentMethod.findMany({
      where: { merchantId, customerId, detachedAt: null },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  /** The write that detaches the method (once: the first detach's time stays). */
  detachPart(merchantId: string, id: string, at: Date): StatementPart {
    return part(
      'payment_method_detached',
      Prisma.sql`
        UPDATE payment_methods SET detached_at = ${at}::timestamp(3)
         WHERE id = ${id}::text AND merchant_id = ${merchantId}::text AND detached_at IS NULL
        RETURNING id`,
    );
  }

  /**
   * The write that saves a method in the caller's unit of work. Saving the same id again (a method
   * charged as the first of a stored credential once more) keeps the row and records the network
   * transaction id if it has none. With `gate`, the method is written only if that part returned a row.
   */
  savePart(method: NewPaymentMethod, gate?: string): StatementPart {
    return part(
      'saved_payment_method',
      Prisma.sql`
        INSERT INTO payment_methods (id, merchant_id, customer_id, vault_card_id, fingerprint, brand, last4, exp_month, exp_year,
          network_transaction_id, created_at)
        SELECT ${method.id}::text, ${method.merchantId}::text, ${method.customerId}::text, ${method.vaultCardId}::text,
          ${method.fingerprint}::text, ${method.brand}::text, ${method.last4}::text, ${method.expMonth}::int, ${method.expYear}::int,
          ${method.networkTransactionId}::text, now()
          ${gate ? Prisma.sql`FROM ${Prisma.raw(gate)}` : Prisma.empty}
        ON CONFLICT (id) DO UPDATE
          SET network_transaction_id = COALESCE(payment_methods.network_transaction_id, EXCLUDED.network_transaction_id)
        RETURNING id`,
    );
  }
}
