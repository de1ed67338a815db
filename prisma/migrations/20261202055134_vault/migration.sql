-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'secret';

-- AlterTable
ALTER TABLE "merchants" ADD COLUMN     "allowed_origins" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "customer_id" TEXT,
ADD COLUMN     "initiator" TEXT NOT NULL DEFAULT 'customer',
ADD COLUMN     "network_transaction_id" TEXT,
ADD COLUMN     "payment_method_id" TEXT,
ADD COLUMN     "setup_future_usage" TEXT,
ADD COLUMN     "vault_card_id" TEXT;

-- CreateTable
CREATE TABLE "vault_keys" (
    "id" TEXT NOT NULL,
    "sealed_key" TEXT NOT NULL,
    "kek_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "vault_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vault_cards" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "brand" TEXT NOT NULL,
    "bin" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "exp_month" INTEGER NOT NULL,
    "exp_year" INTEGER NOT NULL,
    "sealed_number" TEXT NOT NULL,
    "sealed_data_key" TEXT NOT NULL,
    "kek_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "vault_cards_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "card_tokens" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "vault_card_id" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "card_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_methods" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "customer_id" TEXT,
    "vault_card_id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "brand" TEXT NOT NULL,
    "last4" TEXT NOT NULL,
    "exp_month" INTEGER NOT NULL,
    "exp_year" INTEGER NOT NULL,
    "network_transaction_id" TEXT,
    "detached_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_methods_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "vault_cards_merchant_id_fingerprint_idx" ON "vault_cards"("merchant_id", "fingerprint");

-- CreateIndex
CREATE INDEX "vault_cards_kek_id_id_idx" ON "vault_cards"("kek_id", "id");

-- CreateIndex
CREATE INDEX "card_tokens_expires_at_idx" ON "card_tokens"("expires_at");

-- CreateIndex
CREATE INDEX "customers_merchant_id_created_at_idx" ON "customers"("merchant_id", "created_at");

-- CreateIndex
CREATE INDEX "payment_methods_customer_id_created_at_idx" ON "payment_methods"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "payment_methods_merchant_id_idx" ON "payment_methods"("merchant_id");
