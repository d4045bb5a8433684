-- CreateEnum
CREATE TYPE "AuditPlanState" AS ENUM ('active', 'paused', 'stopped');

-- AlterTable
ALTER TABLE "audit_plan" ADD COLUMN     "runs_from" TIMESTAMPTZ(3),
ADD COLUMN     "state" "AuditPlanState" NOT NULL DEFAULT 'active';

-- A plan that was no longer active before states existed had ended: it is stopped, its history kept.
UPDATE "audit_plan" SET "state" = 'stopped' WHERE "active" = false;

ALTER TABLE "audit_plan" DROP COLUMN "active";

-- AlterTable
ALTER TABLE "sop" ADD COLUMN     "retired_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "training" ADD COLUMN     "cancelled_at" TIMESTAMPTZ(3);
