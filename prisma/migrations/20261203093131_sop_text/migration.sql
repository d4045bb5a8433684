-- CreateTable
CREATE TABLE "sop_text" (
    "sop_key" TEXT NOT NULL,
    "major" INTEGER NOT NULL,
    "minor" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "link" TEXT,
    "created_by_person_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sop_text_pkey" PRIMARY KEY ("sop_key","major","minor")
);

-- AddForeignKey
ALTER TABLE "sop_text" ADD CONSTRAINT "sop_text_sop_key_fkey" FOREIGN KEY ("sop_key") REFERENCES "sop"("key") ON DELETE RESTRICT ON UPDATE CASCADE;
