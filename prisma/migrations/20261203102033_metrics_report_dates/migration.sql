-- CreateIndex
CREATE INDEX "friction_report_created_at_idx" ON "friction_report"("created_at");
