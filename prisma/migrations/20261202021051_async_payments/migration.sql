-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "action_expires_at" TIMESTAMP(3),
ADD COLUMN     "next_action_url" TEXT,
ADD COLUMN     "operation_accepted_at" TIMESTAMP(3),
ADD COLUMN     "operation_amount" INTEGER,
ADD COLUMN     "return_url" TEXT;

-- AlterTable
ALTER TABLE "refunds" ADD COLUMN     "accepted_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "provider_notifications" (
    "id" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payment_id" TEXT,
    "refund_id" TEXT,
    "result" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "fact" JSONB NOT NULL,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "provider_notifications_received_at_idx" ON "provider_notifications"("received_at" DESC);

-- CreateIndex
CREATE INDEX "provider_notifications_payment_id_idx" ON "provider_notifications"("payment_id");

-- CreateIndex
CREATE UNIQUE INDEX "provider_notifications_node_id_event_id_key" ON "provider_notifications"("node_id", "event_id");
