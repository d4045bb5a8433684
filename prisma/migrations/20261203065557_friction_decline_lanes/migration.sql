-- CreateEnum
CREATE TYPE "DeclineLane" AS ENUM ('manager_call', 'executive_call', 'people_matter', 'covered_by_standard', 'other');

-- AlterTable
ALTER TABLE "friction_report" ADD COLUMN     "decline_lane" "DeclineLane",
ADD COLUMN     "decline_standard" TEXT;

-- Reports declined before lanes existed were declined with a free-text reason: that is the "other" lane.
UPDATE "friction_report" SET "decline_lane" = 'other' WHERE "status" = 'declined' AND "decline_lane" IS NULL;
