-- AlterTable
ALTER TABLE "friction_report" ADD COLUMN     "status_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "job_schedule" (
    "job" TEXT NOT NULL,
    "expression" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "registered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_schedule_pkey" PRIMARY KEY ("job")
);

-- CreateTable
CREATE TABLE "training" (
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "material" TEXT NOT NULL,
    "sop_key" TEXT,
    "sop_major" INTEGER,
    "sop_minor" INTEGER,
    "team_ids" INTEGER[],
    "layers" "Layer"[],
    "due_on" DATE NOT NULL,
    "created_by_person_id" INTEGER NOT NULL,
    "submission_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "training_assignment" (
    "training_number" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "team_id" INTEGER,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "training_assignment_pkey" PRIMARY KEY ("training_number","person_id")
);

-- CreateTable
CREATE TABLE "nudge" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "last_on" TEXT,
    "snoozed_until" TIMESTAMPTZ(3),

    CONSTRAINT "nudge_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "audit_plan" (
    "number" SERIAL NOT NULL,
    "sop_key" TEXT NOT NULL,
    "schedule" TEXT NOT NULL,
    "checklist" TEXT[],
    "acceptable_variance" DOUBLE PRECISION NOT NULL,
    "owner_person_id" INTEGER NOT NULL,
    "created_by_person_id" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "submission_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_plan_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "audit_run" (
    "id" SERIAL NOT NULL,
    "plan_number" INTEGER NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "results" JSONB,
    "max_variance" DOUBLE PRECISION,
    "breach" BOOLEAN,
    "change_number" INTEGER,
    "recorded_by_person_id" INTEGER,
    "recorded_at" TIMESTAMPTZ(3),

    CONSTRAINT "audit_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "training_submission_key_key" ON "training"("submission_key");

-- CreateIndex
CREATE UNIQUE INDEX "audit_plan_submission_key_key" ON "audit_plan"("submission_key");

-- CreateIndex
CREATE INDEX "audit_plan_sop_key_idx" ON "audit_plan"("sop_key");

-- CreateIndex
CREATE UNIQUE INDEX "audit_run_plan_number_due_at_key" ON "audit_run"("plan_number", "due_at");

-- CreateIndex
CREATE INDEX "job_run_job_fire_time_idx" ON "job_run"("job", "fire_time" DESC);

-- AddForeignKey
ALTER TABLE "training_assignment" ADD CONSTRAINT "training_assignment_training_number_fkey" FOREIGN KEY ("training_number") REFERENCES "training"("number") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_run" ADD CONSTRAINT "audit_run_plan_number_fkey" FOREIGN KEY ("plan_number") REFERENCES "audit_plan"("number") ON DELETE CASCADE ON UPDATE CASCADE;
