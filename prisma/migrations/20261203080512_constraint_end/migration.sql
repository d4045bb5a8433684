-- AlterTable
ALTER TABLE "executive_constraint" ADD COLUMN     "ended_at" TIMESTAMPTZ(3);
