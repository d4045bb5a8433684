-- CreateEnum
CREATE TYPE "ChangeKind" AS ENUM ('workflow', 'template', 'tool', 'standard', 'training', 'ai_rule', 'handoff_logic', 'documentation');

-- CreateEnum
CREATE TYPE "Improvement" AS ENUM ('clarify', 'simplify', 'remove_ambiguity', 'improve_alignment', 'workflow_change');

-- CreateEnum
CREATE TYPE "ChangeStatus" AS ENUM ('draft', 'submitted', 'in_review', 'changes_requested', 'approved', 'rejected', 'released', 'withdrawn');

-- CreateEnum
CREATE TYPE "ConstraintKind" AS ENUM ('priority', 'constraint', 'target');

-- CreateEnum
CREATE TYPE "AiStatus" AS ENUM ('approved', 'restricted', 'prohibited');

-- AlterTable
ALTER TABLE "outbox_message" ADD COLUMN     "batch" TEXT;

-- CreateTable
CREATE TABLE "change_request" (
    "number" SERIAL NOT NULL,
    "kind" "ChangeKind" NOT NULL,
    "sop_key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "change" TEXT NOT NULL,
    "why" TEXT NOT NULL,
    "friction" INTEGER[],
    "constraint" INTEGER,
    "risk" TEXT NOT NULL,
    "improvement" "Improvement" NOT NULL,
    "ai_rule" JSONB,
    "status" "ChangeStatus" NOT NULL DEFAULT 'submitted',
    "requester_person_id" INTEGER,
    "origin" TEXT,
    "decision_reason" TEXT,
    "release_id" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "submission_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_request_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "change_approval" (
    "change_number" INTEGER NOT NULL,
    "person_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_approval_pkey" PRIMARY KEY ("change_number","person_id")
);

-- CreateTable
CREATE TABLE "sop" (
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "owner_person_id" INTEGER,
    "baseline" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sop_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "sop_release" (
    "id" SERIAL NOT NULL,
    "sop_key" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "minor" INTEGER NOT NULL,
    "notes" TEXT NOT NULL,
    "tags" "Improvement"[],
    "changes" INTEGER[],
    "team_ids" INTEGER[],
    "published_by_person_id" INTEGER,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered" BOOLEAN NOT NULL DEFAULT false,
    "submission_key" TEXT NOT NULL,

    CONSTRAINT "sop_release_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "release_ack" (
    "release_id" INTEGER NOT NULL,
    "team_id" INTEGER NOT NULL,
    "person_id" INTEGER,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "release_ack_pkey" PRIMARY KEY ("release_id","team_id")
);

-- CreateTable
CREATE TABLE "executive_constraint" (
    "number" SERIAL NOT NULL,
    "kind" "ConstraintKind" NOT NULL,
    "text" TEXT NOT NULL,
    "until" DATE,
    "created_by_person_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "executive_constraint_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "ai_rule" (
    "tool_key" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "status" "AiStatus" NOT NULL,
    "data_classes" TEXT[],
    "forbidden_inputs" TEXT NOT NULL,
    "human_review" BOOLEAN NOT NULL,
    "layers" "Layer"[],
    "change_number" INTEGER NOT NULL,
    "release" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ai_rule_pkey" PRIMARY KEY ("tool_key")
);

-- CreateIndex
CREATE UNIQUE INDEX "change_request_submission_key_key" ON "change_request"("submission_key");

-- CreateIndex
CREATE INDEX "change_request_status_idx" ON "change_request"("status");

-- CreateIndex
CREATE INDEX "change_request_sop_key_idx" ON "change_request"("sop_key");

-- CreateIndex
CREATE INDEX "change_request_requester_person_id_idx" ON "change_request"("requester_person_id");

-- CreateIndex
CREATE UNIQUE INDEX "sop_release_submission_key_key" ON "sop_release"("submission_key");

-- CreateIndex
CREATE INDEX "sop_release_delivered_idx" ON "sop_release"("delivered");

-- CreateIndex
CREATE UNIQUE INDEX "sop_release_sop_key_major_minor_key" ON "sop_release"("sop_key", "major", "minor");

-- CreateIndex
CREATE INDEX "outbox_message_batch_status_idx" ON "outbox_message"("batch", "status");

-- AddForeignKey
ALTER TABLE "change_approval" ADD CONSTRAINT "change_approval_change_number_fkey" FOREIGN KEY ("change_number") REFERENCES "change_request"("number") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sop_release" ADD CONSTRAINT "sop_release_sop_key_fkey" FOREIGN KEY ("sop_key") REFERENCES "sop"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "release_ack" ADD CONSTRAINT "release_ack_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "sop_release"("id") ON DELETE CASCADE ON UPDATE CASCADE;
