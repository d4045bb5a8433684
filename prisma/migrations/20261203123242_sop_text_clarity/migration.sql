-- AlterTable
ALTER TABLE "sop_text" ADD COLUMN     "clarity_findings" INTEGER,
ADD COLUMN     "clarity_rules" TEXT[] DEFAULT ARRAY[]::TEXT[];
