-- CreateIndex
CREATE UNIQUE INDEX "payment_methods_vault_card_id_key" ON "payment_methods"("vault_card_id");
