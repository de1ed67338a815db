-- AlterTable
ALTER TABLE "vault_cards" ADD COLUMN     "retain_until" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "vault_cards_retain_until_idx" ON "vault_cards"("retain_until");

-- Data: cards stored before retention get the one a new card gets (24 h from its creation), unless
-- an attached payment method keeps them. Cards of detached methods only are due at once.
UPDATE "vault_cards" v
   SET "retain_until" = CASE WHEN EXISTS (SELECT 1 FROM "payment_methods" p WHERE p."vault_card_id" = v."id")
                             THEN v."created_at"
                             ELSE v."created_at" + interval '24 hours' END
 WHERE NOT EXISTS (SELECT 1 FROM "payment_methods" p WHERE p."vault_card_id" = v."id" AND p."detached_at" IS NULL);
