ALTER TABLE "llm_usage" ADD COLUMN "cost_source" text;--> statement-breakpoint
ALTER TABLE "llm_usage" ADD COLUMN "rolled_up_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "llm_usage_dirty_idx" ON "llm_usage" USING btree ("client_id","occurred_at") WHERE "llm_usage"."rolled_up_at" is null;--> statement-breakpoint
CREATE INDEX "llm_usage_execution_idx" ON "llm_usage" USING btree ("client_id","n8n_execution_id") WHERE "llm_usage"."n8n_execution_id" is not null;