-- AlterTable
ALTER TABLE "friction_report" ADD COLUMN     "title_words" TEXT[] DEFAULT ARRAY[]::TEXT[];
