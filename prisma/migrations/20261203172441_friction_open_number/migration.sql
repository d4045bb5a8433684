-- CreateIndex
CREATE INDEX "friction_report_open_number_idx" ON "friction_report"("number") WHERE (status = ANY (ARRAY['new'::"FrictionStatus", 'triaged'::"FrictionStatus", 'analysing'::"FrictionStatus"]));
