ALTER TABLE "clients" ADD COLUMN "history_start_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "executions_retired" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "sync_run_id" integer;