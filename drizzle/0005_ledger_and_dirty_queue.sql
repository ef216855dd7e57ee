CREATE TABLE "collect_gaps" (
	"id" serial PRIMARY KEY NOT NULL,
	"client_id" integer NOT NULL,
	"lo" bigint NOT NULL,
	"hi" bigint NOT NULL,
	"state" text DEFAULT 'unprobed' NOT NULL,
	"after_at" timestamp with time zone,
	"before_at" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"missing_since" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "collect_ranges" (
	"id" serial PRIMARY KEY NOT NULL,
	"client_id" integer NOT NULL,
	"lo" bigint NOT NULL,
	"hi" bigint NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_archive" (
	"client_id" integer NOT NULL,
	"workflow_id" integer NOT NULL,
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
	"archived_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rollup_archive_client_id_granularity_bucket_start_workflow_id_pk" PRIMARY KEY("client_id","granularity","bucket_start","workflow_id")
);
--> statement-breakpoint
CREATE TABLE "rollup_dirty_hours" (
	"client_id" integer NOT NULL,
	"workflow_id" integer NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rollup_dirty_hours_client_id_hour_workflow_id_pk" PRIMARY KEY("client_id","hour","workflow_id")
);
--> statement-breakpoint
DROP INDEX "executions_dirty_idx";--> statement-breakpoint
DROP INDEX "llm_usage_dirty_idx";--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "history_floor_id" bigint;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "n8n_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "error_detail" text;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "collect_gaps" ADD CONSTRAINT "collect_gaps_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collect_ranges" ADD CONSTRAINT "collect_ranges_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_archive" ADD CONSTRAINT "rollup_archive_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_archive" ADD CONSTRAINT "rollup_archive_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_dirty_hours" ADD CONSTRAINT "rollup_dirty_hours_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_dirty_hours" ADD CONSTRAINT "rollup_dirty_hours_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collect_gaps_client_idx" ON "collect_gaps" USING btree ("client_id","state","hi");--> statement-breakpoint
CREATE INDEX "collect_ranges_client_idx" ON "collect_ranges" USING btree ("client_id","hi");--> statement-breakpoint
-- Upgrade. The old design could leave buckets that disagree with their raw rows; every hour
-- that still has raw rows is queued, so the first refresh recomputes it, except each
-- workflow's oldest such hour, which the old retention may have cut in two (its bucket still
-- counts the deleted part and is archived whole when retention retires it), unless it holds
-- rows the old marker had not rolled up yet.
INSERT INTO "rollup_dirty_hours" ("client_id", "workflow_id", "hour")
SELECT client_id, workflow_id, hour FROM (
  SELECT client_id, workflow_id, date_trunc('hour', started_at) AS hour, bool_or(rolled_up_at IS NULL) AS unmarked,
    min(date_trunc('hour', started_at)) OVER (PARTITION BY client_id, workflow_id) AS oldest
  FROM "executions" WHERE started_at IS NOT NULL GROUP BY 1, 2, 3) h
WHERE hour > oldest OR unmarked
UNION
-- Usage hours without an hour row (the old retention deleted hour rows, not usage): rebuilt
-- from the usage rows, which stay; the archives below hold no LLM figures for that reason.
SELECT DISTINCT u.client_id, u.workflow_id, date_trunc('hour', u.occurred_at) FROM "llm_usage" u
WHERE u.workflow_id IS NOT NULL AND (u.rolled_up_at IS NULL OR NOT EXISTS (
  SELECT 1 FROM "rollups" r WHERE r.client_id = u.client_id AND r.workflow_id = u.workflow_id
    AND r.granularity = 'hour' AND r.bucket_start = date_trunc('hour', u.occurred_at)))
ON CONFLICT DO NOTHING;--> statement-breakpoint
-- What earlier retention deleted is archived, so recomputing a bucket adds to what it counted
-- instead of replacing it. Hours without raw rows left: their executions' figures. Days,
-- weeks and months: the bucket minus the children still present (the old cutoffs cut
-- through days and months), key by key for the histogram. LLM figures stay out of archives:
-- usage rows are kept and recounted through their hours (queued above).
INSERT INTO "rollup_archive" ("client_id", "workflow_id", "granularity", "bucket_start", total, success, error, crashed, canceled, other, duration_count, duration_sum_ms, duration_min_ms, duration_max_ms, latency_histogram, peak_concurrency, minutes_saved, llm_calls, tokens_in, tokens_out, cost_micro_usd)
SELECT r.client_id, r.workflow_id, r.granularity, r.bucket_start, r.total, r.success, r.error, r.crashed,
  r.canceled, r.other, r.duration_count, r.duration_sum_ms, r.duration_min_ms, r.duration_max_ms,
  r.latency_histogram, r.peak_concurrency, r.minutes_saved, 0, 0, 0, 0
FROM "rollups" r
WHERE r.granularity = 'hour' AND r.total > 0 AND NOT EXISTS (
  SELECT 1 FROM "executions" e WHERE e.client_id = r.client_id AND e.workflow_id = r.workflow_id
    AND e.started_at >= r.bucket_start AND e.started_at < r.bucket_start + interval '1 hour')
UNION ALL
SELECT p.client_id, p.workflow_id, p.granularity, p.bucket_start,
  p.total - d.total, p.success - d.success, p.error - d.error, p.crashed - d.crashed, p.canceled - d.canceled,
  p.other - d.other, p.duration_count - d.duration_count, p.duration_sum_ms - d.duration_sum_ms,
  p.duration_min_ms, p.duration_max_ms,
  (SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb) FROM (
    SELECT k, sum(n) AS n FROM (
      SELECT kv.key AS k, kv.value::bigint AS n FROM jsonb_each_text(p.latency_histogram) kv
      UNION ALL
      SELECT kv.key, -kv.value::bigint FROM unnest(d.histograms) c(h) CROSS JOIN LATERAL jsonb_each_text(c.h) kv) x
    GROUP BY k HAVING sum(n) > 0) y),
  p.peak_concurrency, p.minutes_saved - d.minutes_saved, 0, 0, 0, 0
FROM "rollups" p
CROSS JOIN LATERAL (
  SELECT coalesce(sum(c.total), 0) AS total, coalesce(sum(c.success), 0) AS success, coalesce(sum(c.error), 0) AS error,
    coalesce(sum(c.crashed), 0) AS crashed, coalesce(sum(c.canceled), 0) AS canceled, coalesce(sum(c.other), 0) AS other,
    coalesce(sum(c.duration_count), 0) AS duration_count, coalesce(sum(c.duration_sum_ms), 0) AS duration_sum_ms,
    coalesce(sum(c.minutes_saved), 0) AS minutes_saved, coalesce(array_agg(c.latency_histogram), '{}') AS histograms
  FROM "rollups" c
  WHERE c.workflow_id = p.workflow_id AND c.client_id = p.client_id
    AND c.granularity = (CASE WHEN p.granularity = 'day' THEN 'hour' ELSE 'day' END)
    AND c.bucket_start >= p.bucket_start
    AND c.bucket_start < p.bucket_start + (CASE p.granularity WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '1 week' ELSE interval '1 month' END)
) d
WHERE p.granularity IN ('day', 'week', 'month')
  AND (p.total <> d.total OR p.duration_count <> d.duration_count OR p.duration_sum_ms <> d.duration_sum_ms);--> statement-breakpoint
-- Clients collected before the ledger: ids under the oldest one still stored count as read,
-- so executions the old retention deleted are not collected (and counted) again; the first
-- sync re-reads everything above, which also recovers what the old design skipped.
INSERT INTO "collect_ranges" ("client_id", "lo", "hi")
SELECT client_id, 1, min(n8n_execution_id) - 1 FROM "executions" GROUP BY client_id HAVING min(n8n_execution_id) > 1;--> statement-breakpoint
ALTER TABLE "executions" DROP COLUMN "rolled_up_at";--> statement-breakpoint
ALTER TABLE "llm_usage" DROP COLUMN "rolled_up_at";--> statement-breakpoint
-- The queue is filled here, by the database, so no write path can forget it: every insert,
-- and every update that changes what a bucket counts, enqueues the old and the new
-- (client, workflow, hour). Statement-level with transition tables: one INSERT per statement.
-- Deletes enqueue nothing: only retention deletes, and only rows already archived.
-- A re-enqueued key bumps enqueued_at, so a refresh that read it meanwhile conflicts and retries.
CREATE FUNCTION "flowscope_enqueue_execution_hours"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rollup_dirty_hours (client_id, workflow_id, hour)
    SELECT DISTINCT client_id, workflow_id, date_trunc('hour', started_at) FROM new_rows WHERE started_at IS NOT NULL
    UNION
    -- Usage ingested before its execution arrived counted until now; a non-production
    -- execution takes it out of the counts, in the usage's own hours.
    SELECT u.client_id, u.workflow_id, date_trunc('hour', u.occurred_at) FROM new_rows n
      JOIN llm_usage u ON u.client_id = n.client_id AND u.n8n_execution_id = n.n8n_execution_id
      WHERE NOT n.is_production AND u.workflow_id IS NOT NULL
    ON CONFLICT (client_id, hour, workflow_id) DO UPDATE SET enqueued_at = clock_timestamp();
  ELSE
    WITH changed AS (
      SELECT o.client_id, o.n8n_execution_id, o.workflow_id AS old_workflow, o.started_at AS old_start,
        n.workflow_id AS new_workflow, n.started_at AS new_start, o.is_production <> n.is_production AS class_changed
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.workflow_id, o.started_at, o.stopped_at, o.status, o.duration_ms, o.is_production)
        IS DISTINCT FROM (n.workflow_id, n.started_at, n.stopped_at, n.status, n.duration_ms, n.is_production)
    ), keys AS (
      SELECT client_id, old_workflow AS workflow_id, date_trunc('hour', old_start) AS hour FROM changed WHERE old_start IS NOT NULL
      UNION
      SELECT client_id, new_workflow, date_trunc('hour', new_start) FROM changed WHERE new_start IS NOT NULL
      UNION
      -- A reclassified execution moves its LLM usage in or out of the counts, in the usage's hours.
      SELECT u.client_id, u.workflow_id, date_trunc('hour', u.occurred_at) FROM changed c
        JOIN llm_usage u ON u.client_id = c.client_id AND u.n8n_execution_id = c.n8n_execution_id
        WHERE c.class_changed AND u.workflow_id IS NOT NULL
    )
    INSERT INTO rollup_dirty_hours (client_id, workflow_id, hour) SELECT client_id, workflow_id, hour FROM keys
    ON CONFLICT (client_id, hour, workflow_id) DO UPDATE SET enqueued_at = clock_timestamp();
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "executions_enqueue_insert" AFTER INSERT ON "executions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "flowscope_enqueue_execution_hours"();--> statement-breakpoint
CREATE TRIGGER "executions_enqueue_update" AFTER UPDATE ON "executions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "flowscope_enqueue_execution_hours"();--> statement-breakpoint
CREATE FUNCTION "flowscope_enqueue_usage_hours"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rollup_dirty_hours (client_id, workflow_id, hour)
    SELECT DISTINCT client_id, workflow_id, date_trunc('hour', occurred_at) FROM new_rows WHERE workflow_id IS NOT NULL
    ON CONFLICT (client_id, hour, workflow_id) DO UPDATE SET enqueued_at = clock_timestamp();
  ELSE
    WITH changed AS (
      SELECT o.client_id, o.workflow_id AS old_workflow, o.occurred_at AS old_at, n.workflow_id AS new_workflow, n.occurred_at AS new_at
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.workflow_id, o.occurred_at, o.prompt_tokens, o.completion_tokens, o.cost_micro_usd, o.n8n_execution_id)
        IS DISTINCT FROM (n.workflow_id, n.occurred_at, n.prompt_tokens, n.completion_tokens, n.cost_micro_usd, n.n8n_execution_id)
    )
    INSERT INTO rollup_dirty_hours (client_id, workflow_id, hour)
    SELECT client_id, old_workflow, date_trunc('hour', old_at) FROM changed WHERE old_workflow IS NOT NULL
    UNION
    SELECT client_id, new_workflow, date_trunc('hour', new_at) FROM changed WHERE new_workflow IS NOT NULL
    ON CONFLICT (client_id, hour, workflow_id) DO UPDATE SET enqueued_at = clock_timestamp();
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "llm_usage_enqueue_insert" AFTER INSERT ON "llm_usage"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "flowscope_enqueue_usage_hours"();--> statement-breakpoint
CREATE TRIGGER "llm_usage_enqueue_update" AFTER UPDATE ON "llm_usage"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "flowscope_enqueue_usage_hours"();
