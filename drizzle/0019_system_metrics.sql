-- Operational metrics (lib/telemetry): hourly aggregates of system_metrics and the
-- hours still to aggregate, which retention keeps raw until they are counted; an index
-- for reading points by time.
CREATE TABLE "system_metric_hours_pending" (
	"hour" timestamp with time zone PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "system_metrics_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"service" text NOT NULL,
	"labels" jsonb NOT NULL,
	"unit" text,
	"count" integer NOT NULL,
	"sum" double precision NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"p50" double precision NOT NULL,
	"p95" double precision NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "system_metrics_hourly_series_idx" ON "system_metrics_hourly" USING btree ("hour","name","type","service",md5("labels"::text));--> statement-breakpoint
CREATE INDEX "system_metrics_hourly_name_idx" ON "system_metrics_hourly" USING btree ("name","hour");--> statement-breakpoint
CREATE INDEX "system_metrics_time_idx" ON "system_metrics" USING btree ("recorded_at","id");