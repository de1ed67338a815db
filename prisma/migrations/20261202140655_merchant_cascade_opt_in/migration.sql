-- AlterTable
ALTER TABLE "merchants" ADD COLUMN     "cascade_opt_in" BOOLEAN NOT NULL DEFAULT false;
