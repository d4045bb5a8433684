-- AlterTable
ALTER TABLE "team" ADD COLUMN     "archived_at" TIMESTAMPTZ(3);
