-- AlterTable
ALTER TABLE "audit_plan" ADD COLUMN     "sop_major" INTEGER,
ADD COLUMN     "sop_minor" INTEGER;

-- AlterTable
ALTER TABLE "audit_run" ADD COLUMN     "sop_major" INTEGER,
ADD COLUMN     "sop_minor" INTEGER,
ADD COLUMN     "team_id" INTEGER;

-- CreateIndex
CREATE INDEX "audit_run_team_id_recorded_at_idx" ON "audit_run"("team_id", "recorded_at");
