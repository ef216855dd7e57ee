CREATE TABLE "data_versions" (
	"scope" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- One row per scope, bumped by the run's own statement: a finished run and the version
-- that says so commit together. Each bump touches one row (the run's client, or 0), so
-- runs of different clients never wait on each other.
CREATE FUNCTION "flowscope_bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "data_versions" ("scope", "version") VALUES (coalesce(NEW."client_id", 0), 1)
  ON CONFLICT ("scope") DO UPDATE SET "version" = "data_versions"."version" + 1;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "sync_runs_finished_insert" AFTER INSERT ON "sync_runs"
  FOR EACH ROW WHEN (NEW."finished_at" IS NOT NULL) EXECUTE FUNCTION "flowscope_bump_data_version"();--> statement-breakpoint
CREATE TRIGGER "sync_runs_finished_update" AFTER UPDATE OF "finished_at" ON "sync_runs"
  FOR EACH ROW WHEN (NEW."finished_at" IS DISTINCT FROM OLD."finished_at") EXECUTE FUNCTION "flowscope_bump_data_version"();--> statement-breakpoint
-- Versions start from the runs already finished, so they never go back.
INSERT INTO "data_versions" ("scope", "version")
  SELECT coalesce("client_id", 0), count(*) FROM "sync_runs" WHERE "finished_at" IS NOT NULL GROUP BY 1;
