-- The executions explorer (lib/metrics/explorer.ts) lists a client's executions newest
-- first by n8n id: its failures view and one workflow's runs get an index each; the
-- other filters read rows in id order (executions_client_n8n_id_uq). Built on every
-- month partition, and on each new partition as it is created or attached.
CREATE INDEX "executions_failed_idx" ON "executions" USING btree ("client_id","n8n_execution_id") WHERE "executions"."status" in ('error', 'crashed');--> statement-breakpoint
CREATE INDEX "executions_workflow_idx" ON "executions" USING btree ("client_id","workflow_id","n8n_execution_id");