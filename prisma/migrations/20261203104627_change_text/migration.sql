-- CreateTable
CREATE TABLE "change_text" (
    "change_number" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "base_major" INTEGER,
    "base_minor" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_text_pkey" PRIMARY KEY ("change_number")
);

-- AddForeignKey
ALTER TABLE "change_text" ADD CONSTRAINT "change_text_change_number_fkey" FOREIGN KEY ("change_number") REFERENCES "change_request"("number") ON DELETE CASCADE ON UPDATE CASCADE;
