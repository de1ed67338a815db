-- AlterTable
ALTER TABLE "payments" ADD COLUMN     "check_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "check_lease_until" TIMESTAMP(3),
ADD COLUMN     "next_check_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "refunds" ADD COLUMN     "check_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "check_lease_until" TIMESTAMP(3),
ADD COLUMN     "next_check_at" TIMESTAMP(3);
