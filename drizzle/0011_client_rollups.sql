CREATE TABLE "client_rollups" (
	"client_id" integer NOT NULL,
	"granularity" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"success" integer DEFAULT 0 NOT NULL,
	"error" integer DEFAULT 0 NOT NULL,
	"crashed" integer DEFAULT 0 NOT NULL,
	"canceled" integer DEFAULT 0 NOT NULL,
	"other" integer DEFAULT 0 NOT NULL,
	"duration_count" integer DEFAULT 0 NOT NULL,
	"duration_sum_ms" bigint DEFAULT 0 NOT NULL,
	"duration_min_ms" integer,
	"duration_max_ms" integer,
	"latency_histogram" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"peak_concurrency" integer DEFAULT 0 NOT NULL,
	"minutes_saved" double precision DEFAULT 0 NOT NULL,
	"llm_calls" integer DEFAULT 0 NOT NULL,
	"tokens_in" bigint DEFAULT 0 NOT NULL,
	"tokens_out" bigint DEFAULT 0 NOT NULL,
	"cost_micro_usd" bigint DEFAULT 0 NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "client_rollups_client_id_granularity_bucket_start_pk" PRIMARY KEY("client_id","granularity","bucket_start")
);
--> statement-breakpoint
ALTER TABLE "client_rollups" ADD CONSTRAINT "client_rollups_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Existing buckets: each client row is the sum of its per-workflow rows (lib/ingest/rollups/merge.ts).
INSERT INTO "client_rollups" ("client_id", "granularity", "bucket_start", "total", "success", "error",
  "crashed", "canceled", "other", "duration_count", "duration_sum_ms", "duration_min_ms", "duration_max_ms",
  "latency_histogram", "peak_concurrency", "minutes_saved", "llm_calls", "tokens_in", "tokens_out", "cost_micro_usd")
SELECT r."client_id", r."granularity", r."bucket_start", sum(r."total"), sum(r."success"), sum(r."error"),
  sum(r."crashed"), sum(r."canceled"), sum(r."other"), sum(r."duration_count"), sum(r."duration_sum_ms"),
  min(r."duration_min_ms"), max(r."duration_max_ms"),
  coalesce((SELECT jsonb_object_agg(kv.key, kv.n) FROM (
    SELECT h.key, sum(h.value::bigint) AS n FROM "rollups" x CROSS JOIN LATERAL jsonb_each_text(x."latency_histogram") h
    WHERE x."client_id" = r."client_id" AND x."granularity" = r."granularity" AND x."bucket_start" = r."bucket_start"
    GROUP BY 1) kv), '{}'::jsonb),
  max(r."peak_concurrency"), sum(r."minutes_saved"), sum(r."llm_calls"), sum(r."tokens_in"), sum(r."tokens_out"),
  sum(r."cost_micro_usd")
FROM "rollups" r GROUP BY r."client_id", r."granularity", r."bucket_start";
