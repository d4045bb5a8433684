-- CreateTable
CREATE TABLE "export_link" (
    "token_hash" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "csv" TEXT NOT NULL,
    "created_by_person_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "export_link_pkey" PRIMARY KEY ("token_hash")
);

-- CreateIndex
CREATE INDEX "export_link_expires_at_idx" ON "export_link"("expires_at");
