-- CreateEnum
CREATE TYPE "FrictionKind" AS ENUM ('tool_friction', 'failure_pattern', 'training_gap', 'quality_variance', 'cross_team');

-- CreateEnum
CREATE TYPE "FrictionStatus" AS ENUM ('new', 'triaged', 'analysing', 'in_change', 'resolved', 'declined', 'duplicate');

-- AlterTable
ALTER TABLE "person" ADD COLUMN     "last_team" TEXT;

-- CreateTable
CREATE TABLE "friction_report" (
    "number" SERIAL NOT NULL,
    "kind" "FrictionKind" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "team" TEXT,
    "tool" TEXT NOT NULL,
    "tool_key" TEXT NOT NULL,
    "frequency" TEXT NOT NULL,
    "impact" TEXT NOT NULL,
    "related_sop" TEXT,
    "source_link" TEXT,
    "status" "FrictionStatus" NOT NULL DEFAULT 'new',
    "reporter_person_id" INTEGER,
    "owner_person_id" INTEGER,
    "root_cause" TEXT,
    "decline_reason" TEXT,
    "duplicate_of" INTEGER,
    "plus_ones" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 1,
    "submission_key" TEXT NOT NULL,
    "claim_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "friction_report_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "friction_supporter" (
    "report_number" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "friction_supporter_pkey" PRIMARY KEY ("report_number","person_id")
);

-- CreateTable
CREATE TABLE "recurring_pattern" (
    "id" SERIAL NOT NULL,
    "tool_key" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "reports" INTEGER[],
    "alerted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recurring_pattern_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "friction_report_submission_key_key" ON "friction_report"("submission_key");

-- CreateIndex
CREATE INDEX "friction_report_tool_key_created_at_idx" ON "friction_report"("tool_key", "created_at");

-- CreateIndex
CREATE INDEX "friction_report_status_idx" ON "friction_report"("status");

-- CreateIndex
CREATE INDEX "friction_report_reporter_person_id_idx" ON "friction_report"("reporter_person_id");

-- CreateIndex
CREATE INDEX "recurring_pattern_tool_key_alerted_at_idx" ON "recurring_pattern"("tool_key", "alerted_at");

-- AddForeignKey
ALTER TABLE "friction_supporter" ADD CONSTRAINT "friction_supporter_report_number_fkey" FOREIGN KEY ("report_number") REFERENCES "friction_report"("number") ON DELETE CASCADE ON UPDATE CASCADE;
