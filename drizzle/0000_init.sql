CREATE TABLE "clients" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"n8n_base_url" text NOT NULL,
	"n8n_api_key" text NOT NULL,
	"filter_rules" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"concurrency_limit" integer DEFAULT 10 NOT NULL,
	"default_minutes_saved" double precision DEFAULT 0 NOT NULL,
	"history_complete_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clients_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "executions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"client_id" integer NOT NULL,
	"workflow_id" integer NOT NULL,
	"n8n_execution_id" bigint NOT NULL,
	"status" text NOT NULL,
	"mode" text NOT NULL,
	"finished" boolean DEFAULT false NOT NULL,
	"started_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	"wait_till" timestamp with time zone,
	"duration_ms" integer,
	"retry_of" bigint,
	"is_production" boolean NOT NULL,
	"exclusion_reason" text,
	"error_message" text,
	"error_node" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rolled_up_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "llm_usage" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"client_id" integer NOT NULL,
	"workflow_id" integer,
	"n8n_execution_id" bigint,
	"node_name" text,
	"provider" text,
	"model" text NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"total_tokens" integer DEFAULT 0 NOT NULL,
	"is_estimate" boolean DEFAULT false NOT NULL,
	"cost_micro_usd" bigint,
	"reason" text,
	"source" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_price_overrides" (
	"id" serial PRIMARY KEY NOT NULL,
	"model" text NOT NULL,
	"provider" text,
	"input_per_million_micro_usd" bigint NOT NULL,
	"output_per_million_micro_usd" bigint NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollups" (
	"id" bigserial PRIMARY KEY NOT NULL,
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
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"function" text NOT NULL,
	"trigger" text NOT NULL,
	"client_id" integer,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"pages" integer DEFAULT 0 NOT NULL,
	"workflows_seen" integer DEFAULT 0 NOT NULL,
	"executions_seen" integer DEFAULT 0 NOT NULL,
	"executions_new" integer DEFAULT 0 NOT NULL,
	"executions_updated" integer DEFAULT 0 NOT NULL,
	"executions_excluded" integer DEFAULT 0 NOT NULL,
	"phase_ms" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"details" jsonb,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "system_metrics" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"value" double precision NOT NULL,
	"unit" text,
	"service" text DEFAULT 'flowscope' NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workflows" (
	"id" serial PRIMARY KEY NOT NULL,
	"client_id" integer NOT NULL,
	"n8n_workflow_id" text NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"is_archived" boolean DEFAULT false NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"node_types" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"minutes_saved_per_execution" double precision,
	"n8n_created_at" timestamp with time zone,
	"n8n_updated_at" timestamp with time zone,
	"last_synced_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "executions" ADD CONSTRAINT "executions_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "llm_usage" ADD CONSTRAINT "llm_usage_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "llm_usage" ADD CONSTRAINT "llm_usage_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollups" ADD CONSTRAINT "rollups_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollups" ADD CONSTRAINT "rollups_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflows" ADD CONSTRAINT "workflows_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "executions_client_n8n_id_uq" ON "executions" USING btree ("client_id","n8n_execution_id");--> statement-breakpoint
CREATE INDEX "executions_client_started_idx" ON "executions" USING btree ("client_id","started_at");--> statement-breakpoint
CREATE INDEX "executions_dirty_idx" ON "executions" USING btree ("client_id","started_at") WHERE "executions"."rolled_up_at" is null;--> statement-breakpoint
CREATE INDEX "executions_unfinished_idx" ON "executions" USING btree ("client_id") WHERE "executions"."status" in ('running', 'waiting', 'new', 'unknown');--> statement-breakpoint
CREATE UNIQUE INDEX "llm_usage_idempotency_uq" ON "llm_usage" USING btree ("client_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "llm_usage_client_time_idx" ON "llm_usage" USING btree ("client_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "model_price_overrides_uq" ON "model_price_overrides" USING btree ("model","effective_from");--> statement-breakpoint
CREATE UNIQUE INDEX "rollups_bucket_uq" ON "rollups" USING btree ("client_id","granularity","bucket_start","workflow_id");--> statement-breakpoint
CREATE INDEX "rollups_workflow_idx" ON "rollups" USING btree ("workflow_id","granularity","bucket_start");--> statement-breakpoint
CREATE INDEX "sync_runs_client_started_idx" ON "sync_runs" USING btree ("client_id","function","started_at");--> statement-breakpoint
CREATE INDEX "system_metrics_name_time_idx" ON "system_metrics" USING btree ("name","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "workflows_client_n8n_id_uq" ON "workflows" USING btree ("client_id","n8n_workflow_id");