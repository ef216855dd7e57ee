import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/database";
import { refreshRollups } from "@/lib/ingest/rollups";
import { loadCalendar } from "@/lib/ingest/rollups/calendar";
import { changeClientTimeZone } from "@/lib/ingest/rollups/zone-change";
import { setClientTimeZone } from "@/lib/jobs/time-zone";
import { createTestDatabase } from "./helpers/db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";
import { expectRollupsMatchRaw } from "./helpers/rollup-check";

const NOW = new Date("2026-06-15T10:17:00Z");

describe("changing a client's time zone", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());

  it("ends the old zone's last day and month at the boundary for every workflow, and changes again in the same month", async () => {
    const db = handle.db;
    const client = await createClient(db);
    const early = await createWorkflow(db, client.id);
    const late = await createWorkflow(db, client.id);
    // `late` runs only after New York's April began (04:00Z): nothing of it is in the
    // hours of the old zone's last day before the boundary.
    await insertExecutions(db, { clientId: client.id, workflowId: early.id }, [
      { startedAt: new Date("2026-03-01T12:00:00Z") },
      { startedAt: new Date("2026-04-01T02:00:00Z") },
    ]);
    await insertExecutions(db, { clientId: client.id, workflowId: late.id }, [
      { startedAt: new Date("2026-03-02T12:00:00Z") },
      { startedAt: new Date("2026-04-01T06:00:00Z") },
    ]);
    await refreshRollups(db, { clientId: client.id });

    const change = await changeClientTimeZone(db, client.id, "America/New_York", { now: NOW });
    expect(change.timeZoneFrom).toEqual(new Date("2026-04-01T04:00:00Z"));
    await expectRollupsMatchRaw(db, client.id);

    // Toronto's months start when New York's do: the boundary is where New York began.
    const again = await changeClientTimeZone(db, client.id, "America/Toronto", { now: NOW });
    expect(again.timeZoneFrom).toEqual(new Date("2026-04-01T04:00:00Z"));
    const calendar = await loadCalendar(db, client.id);
    expect(calendar.spans.map((s) => s.timeZone)).toEqual(["UTC", "America/Toronto"]);
    await expectRollupsMatchRaw(db, client.id);
  });

  it("refuses zones PostgreSQL would read as fixed abbreviations, and names it does not know", async () => {
    const client = await createClient(handle.db);
    for (const zone of ["CET", "EST", "Mars/Olympus", ""]) {
      await expect(setClientTimeZone(handle.db, client.id, zone), zone).rejects.toMatchObject({ code: "bad_request" });
    }
    await expect(setClientTimeZone(handle.db, client.id, "europe/berlin")).resolves.toMatchObject({
      timeZone: "Europe/Berlin",
    });
  });
});
