-- Executions and LLM usage are partitioned by UTC month of started_at and occurred_at, so
-- a month's rows are one table: range reads touch only their months, and retention drops a
-- month whose hours are all final as a whole table (lib/ingest/rollups/retire.ts). Rows of a
-- month without a partition, and executions not started yet, go to the DEFAULT partition.
-- drizzle-kit does not declare partitions; the tables are rebuilt here by hand and keep
-- the columns, indexes, keys and triggers that lib/db/schema and earlier migrations
-- declare. Objects an operator added to these tables by hand (indexes, grants, views)
-- are not carried over, and a view on them stops this migration: drop it first. A partitioned table's unique
-- keys must hold the partition key, hence no primary key on id (nothing references it).
--
-- One function creates a month's partition, for this migration and for maintenance
-- (lib/db/partitions.ts): rows of that month already in the default partition move into
-- it. Writers are held off meanwhile (SHARE ROW EXCLUSIVE lets readers through), so no
-- row lands in the default partition between the move and the attach.
CREATE FUNCTION "flowscope_month_partition"(parent regclass, at timestamptz) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz := date_trunc('month', at, 'UTC');
  hi timestamptz := (date_trunc('month', at, 'UTC') AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC';
  parent_name text := (SELECT relname FROM pg_class WHERE oid = parent);
  name text := parent_name || '_' || to_char(date_trunc('month', at, 'UTC') AT TIME ZONE 'UTC', 'YYYY_MM');
  key text := (SELECT a.attname FROM pg_partitioned_table p
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] WHERE p.partrelid = parent);
BEGIN
  EXECUTE format('LOCK TABLE %I IN SHARE ROW EXCLUSIVE MODE', parent_name);
  IF to_regclass(name) IS NOT NULL THEN RETURN NULL; END IF;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', name, parent_name);
  EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
    parent_name || '_default', key, lo, key, hi, name);
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent_name, name, lo, hi);
  RETURN name;
END $$;--> statement-breakpoint
ALTER TABLE "executions" RENAME TO "executions_unpartitioned";--> statement-breakpoint
DROP TRIGGER "executions_enqueue_insert" ON "executions_unpartitioned";--> statement-breakpoint
DROP TRIGGER "executions_enqueue_update" ON "executions_unpartitioned";--> statement-breakpoint
CREATE TABLE "executions" (LIKE "executions_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("started_at");--> statement-breakpoint
-- The sequence would go with the old table.
ALTER SEQUENCE "executions_id_seq" OWNED BY "executions"."id";--> statement-breakpoint
CREATE TABLE "executions_default" PARTITION OF "executions" DEFAULT;--> statement-breakpoint
SELECT "flowscope_month_partition"('executions', m)
  FROM (SELECT DISTINCT date_trunc('month', "started_at", 'UTC') AS m FROM "executions_unpartitioned" WHERE "started_at" IS NOT NULL) months;--> statement-breakpoint
INSERT INTO "executions" SELECT * FROM "executions_unpartitioned";--> statement-breakpoint
DROP TABLE "executions_unpartitioned";--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_client_n8n_id_uq" UNIQUE NULLS NOT DISTINCT ("client_id","n8n_execution_id","started_at");--> statement-breakpoint
CREATE INDEX "executions_client_started_idx" ON "executions" USING btree ("client_id","started_at");--> statement-breakpoint
CREATE INDEX "executions_unfinished_idx" ON "executions" USING btree ("client_id") WHERE "executions"."status" in ('running', 'waiting', 'new');--> statement-breakpoint
CREATE INDEX "executions_excluded_idx" ON "executions" USING btree ("client_id","n8n_execution_id") WHERE not "executions"."is_production";--> statement-breakpoint
CREATE INDEX "executions_llm_pending_idx" ON "executions" USING btree ("client_id","workflow_id") WHERE "executions"."llm_extracted_at" is null;--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- As in 0005; a row whose start changes moves to another partition, and the statement's
-- transition tables hold it as an update, so both its hours are queued.
CREATE TRIGGER "executions_enqueue_insert" AFTER INSERT ON "executions"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "flowscope_enqueue_execution_hours"();--> statement-breakpoint
CREATE TRIGGER "executions_enqueue_update" AFTER UPDATE ON "executions"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "flowscope_enqueue_execution_hours"();--> statement-breakpoint
ALTER TABLE "llm_usage" RENAME TO "llm_usage_unpartitioned";--> statement-breakpoint
DROP TRIGGER "llm_usage_enqueue_insert" ON "llm_usage_unpartitioned";--> statement-breakpoint
DROP TRIGGER "llm_usage_enqueue_update" ON "llm_usage_unpartitioned";--> statement-breakpoint
CREATE TABLE "llm_usage" (LIKE "llm_usage_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("occurred_at");--> statement-breakpoint
ALTER SEQUENCE "llm_usage_id_seq" OWNED BY "llm_usage"."id";--> statement-breakpoint
CREATE TABLE "llm_usage_default" PARTITION OF "llm_usage" DEFAULT;--> statement-breakpoint
SELECT "flowscope_month_partition"('llm_usage', m)
  FROM (SELECT DISTINCT date_trunc('month', "occurred_at", 'UTC') AS m FROM "llm_usage_unpartitioned") months;--> statement-breakpoint
INSERT INTO "llm_usage" SELECT * FROM "llm_usage_unpartitioned";--> statement-breakpoint
DROP TABLE "llm_usage_unpartitioned";--> statement-breakpoint
CREATE INDEX "llm_usage_idempotency_idx" ON "llm_usage" USING btree ("client_id","idempotency_key");--> statement-breakpoint
-- Usage keys stay unique across months in a table of their own (lib/db/schema/llm.ts).
CREATE TABLE "llm_usage_keys" (
	"client_id" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	CONSTRAINT "llm_usage_keys_client_id_idempotency_key_pk" PRIMARY KEY("client_id","idempotency_key")
);--> statement-breakpoint
ALTER TABLE "llm_usage_keys" ADD CONSTRAINT "llm_usage_keys_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "llm_usage_keys" ("client_id", "idempotency_key") SELECT "client_id", "idempotency_key" FROM "llm_usage";--> statement-breakpoint
CREATE INDEX "llm_usage_client_time_idx" ON "llm_usage" USING btree ("client_id","occurred_at");--> statement-breakpoint
CREATE INDEX "llm_usage_execution_idx" ON "llm_usage" USING btree ("client_id","n8n_execution_id") WHERE "llm_usage"."n8n_execution_id" is not null;--> statement-breakpoint
ALTER TABLE "llm_usage" ADD CONSTRAINT "llm_usage_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "llm_usage" ADD CONSTRAINT "llm_usage_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE TRIGGER "llm_usage_enqueue_insert" AFTER INSERT ON "llm_usage"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "flowscope_enqueue_usage_hours"();--> statement-breakpoint
CREATE TRIGGER "llm_usage_enqueue_update" AFTER UPDATE ON "llm_usage"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "flowscope_enqueue_usage_hours"();--> statement-breakpoint
-- Autovacuum analyzes partitions, never a partitioned parent; plans over the parent need
-- its statistics (the retention job refreshes them daily).
ANALYZE "executions";--> statement-breakpoint
ANALYZE "llm_usage";
