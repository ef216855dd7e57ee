-- The bucket key becomes the primary key (its unique index, renamed, without a rebuild),
-- and the surrogate id goes: its index cost every row a rollup writes, and nothing
-- referenced it (deletes address rows by ctid within their statement).
ALTER TABLE "rollups" DROP CONSTRAINT "rollups_pkey";--> statement-breakpoint
ALTER TABLE "rollups" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "rollups" ADD CONSTRAINT "rollups_pkey" PRIMARY KEY USING INDEX "rollups_bucket_uq";
