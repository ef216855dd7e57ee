ALTER TABLE "executions" ADD COLUMN "llm_extracted_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "executions_llm_pending_idx" ON "executions" USING btree ("client_id","workflow_id") WHERE "executions"."llm_extracted_at" is null;--> statement-breakpoint
-- Existing executions count as extracted, except those of AI workflows (a node type starting with the chat-model prefix, as isAiWorkflow in lib/llm/node-types.ts decides): syncs backfill their usage.
UPDATE "executions" SET "llm_extracted_at" = now()
WHERE "workflow_id" NOT IN (
  SELECT "w"."id" FROM "workflows" "w"
  WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text("w"."node_types") AS "t"("type") WHERE "t"."type" LIKE '@n8n/n8n-nodes-langchain.lmChat%')
);
