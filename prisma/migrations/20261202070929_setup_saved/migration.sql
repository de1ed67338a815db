-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "setup_saved_at" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "card_tokens_vault_card_id_idx" ON "card_tokens"("vault_card_id");

-- Setup payments whose method was recorded before this column are done
UPDATE "payments" SET "setup_saved_at" = "updated_at" WHERE "setup_future_usage" IS NOT NULL AND "payment_method_id" IS NOT NULL;
