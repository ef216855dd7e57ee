CREATE TABLE "client_zone_eras" (
	"client_id" integer NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	CONSTRAINT "client_zone_eras_client_id_until_pk" PRIMARY KEY("client_id","until")
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "time_zone_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "client_zone_eras" ADD CONSTRAINT "client_zone_eras_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Each client's zone spans (lib/ingest/rollups/calendar.ts): its earlier zones from
-- client_zone_eras, each from the previous era's end, then its current zone from
-- time_zone_from. Open ends are -infinity and infinity, so ranges compare without nulls.
CREATE VIEW "client_zone_spans" AS
  SELECT e.client_id, e.time_zone,
    coalesce(lag(e.until) OVER (PARTITION BY e.client_id ORDER BY e.until), '-infinity'::timestamptz) AS starts,
    e.until AS ends
  FROM client_zone_eras e
  UNION ALL
  SELECT c.id, c.time_zone, coalesce(c.time_zone_from, '-infinity'::timestamptz), 'infinity'::timestamptz
  FROM clients c;
