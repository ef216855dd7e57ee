-- Latency histograms are stored packed (lib/core/histogram.ts): an int8[] with one element
-- per non-empty bucket, slot * 2^32 + count in ascending order, slot 0 for 0 ms and
-- index + 2048 for the others. Merging is adding counts per slot over the unnested
-- elements, integer arithmetic instead of unpacking jsonb keys (lib/ingest/rollups/merge.ts).
--
-- The elements of many histograms, for one merge: array_cat as an aggregate.
CREATE AGGREGATE "flowscope_histogram_cat"(int8[]) (SFUNC = array_cat, STYPE = int8[], INITCOND = '{}');--> statement-breakpoint
-- Existing rows convert in place; a transform expression cannot hold a subquery, a function can.
CREATE FUNCTION "flowscope_pack_histogram"(h jsonb) RETURNS int8[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(s::int8 * 4294967296 + n ORDER BY s), '{}')
  FROM (SELECT CASE WHEN key = 'z' THEN 0 ELSE key::int + 2048 END AS s, value::int8 AS n FROM jsonb_each_text(h)) x
  WHERE n > 0
$$;--> statement-breakpoint
ALTER TABLE "rollups" ALTER COLUMN "latency_histogram" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "rollups" ALTER COLUMN "latency_histogram" SET DATA TYPE bigint[] USING "flowscope_pack_histogram"("latency_histogram");--> statement-breakpoint
ALTER TABLE "rollups" ALTER COLUMN "latency_histogram" SET DEFAULT '{}'::bigint[];--> statement-breakpoint
ALTER TABLE "client_rollups" ALTER COLUMN "latency_histogram" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "client_rollups" ALTER COLUMN "latency_histogram" SET DATA TYPE bigint[] USING "flowscope_pack_histogram"("latency_histogram");--> statement-breakpoint
ALTER TABLE "client_rollups" ALTER COLUMN "latency_histogram" SET DEFAULT '{}'::bigint[];--> statement-breakpoint
ALTER TABLE "rollup_archive" ALTER COLUMN "latency_histogram" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "rollup_archive" ALTER COLUMN "latency_histogram" SET DATA TYPE bigint[] USING "flowscope_pack_histogram"("latency_histogram");--> statement-breakpoint
ALTER TABLE "rollup_archive" ALTER COLUMN "latency_histogram" SET DEFAULT '{}'::bigint[];--> statement-breakpoint
DROP FUNCTION "flowscope_pack_histogram"(jsonb);
