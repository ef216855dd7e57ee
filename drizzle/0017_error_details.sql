-- Error details of failed production executions, read from their run data once each
-- (lib/ingest/collect/error-details.ts). No default: the columns are added without a
-- rewrite, and stored failed production executions are pending, so the syncs after the
-- upgrade read their errors, newest first, a bounded number each.
ALTER TABLE "executions" ADD COLUMN "error_type" text;--> statement-breakpoint
ALTER TABLE "executions" ADD COLUMN "error_read_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "executions_error_pending_idx" ON "executions" USING btree ("client_id","n8n_execution_id") WHERE "executions"."error_read_at" is null and "executions"."is_production" and "executions"."status" in ('error', 'crashed');