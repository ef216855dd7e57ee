import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/database";
import { clients, executions, rollups } from "@/lib/db/schema";
import { updateClientRules } from "@/lib/clients";
import { reclassifyClient } from "@/lib/ingest/classify/reclassify";
import { refreshRollups } from "@/lib/ingest/rollups";
import { AppError } from "@/lib/core/errors";
import { createTestDatabase } from "./helpers/db";
import { createClient, createWorkflow, insertExecutions } from "./helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const start = new Date("2026-10-01T10:00:00Z");
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);

async function productionTotals(clientId: number) {
  const [rolled] = await handle.db
    .select({ total: sql<number>`coalesce(sum(${rollups.total}), 0)::int` })
    .from(rollups)
    .where(and(eq(rollups.clientId, clientId), eq(rollups.granularity, "month")));
  const [raw] = await handle.db
    .select({ total: sql<number>`count(*)::int` })
    .from(executions)
    .where(and(eq(executions.clientId, clientId), eq(executions.isProduction, true)));
  return { rolled: rolled.total, raw: raw.total };
}

describe("changing a client's rules", () => {
  it("rejects an invalid pattern and keeps the stored rules", async () => {
    const client = await createClient(handle.db, { filterRules: { excludePatterns: ["^old"] } });
    await expect(updateClientRules(handle.db, client.id, { excludePatterns: ["[a-"] })).rejects.toThrow(
      /filterRules\.excludePatterns\.0: invalid regular expression "\[a-"/,
    );
    const [row] = await handle.db.select().from(clients).where(eq(clients.id, client.id));
    expect(row.filterRules).toEqual({ excludePatterns: ["^old"] });
  });

  it("answers 404 for an unknown client", async () => {
    const error = await updateClientRules(handle.db, 987654, {}).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(404);
    expect(error.message).toBe("Client 987654 not found");
  });

  it("re-classifies stored history and rebuilds the buckets from it", async () => {
    const client = await createClient(handle.db);
    const invoices = await createWorkflow(handle.db, client.id, { name: "Invoice sync" });
    const leads = await createWorkflow(handle.db, client.id, { name: "Lead intake" });
    const base = { clientId: client.id };
    await insertExecutions(
      handle.db,
      { ...base, workflowId: invoices.id },
      [0, 1, 2, 3].map((i) => ({ startedAt: minutes(i * 70) })),
    );
    await insertExecutions(handle.db, { ...base, workflowId: leads.id }, [
      { startedAt: minutes(5) },
      { startedAt: minutes(6), mode: "manual", isProduction: false, exclusionReason: "manual" },
    ]);
    await refreshRollups(handle.db, { clientId: client.id });
    expect(await productionTotals(client.id)).toEqual({ rolled: 5, raw: 5 });

    await updateClientRules(handle.db, client.id, { excludePatterns: ["^invoice"], excludeManual: false });
    const run = await reclassifyClient(handle.db, { clientId: client.id, trigger: "manual" });

    expect(run.executionsUpdated).toBe(5);
    const rows = await handle.db
      .select({ workflowId: executions.workflowId, mode: executions.mode, reason: executions.exclusionReason })
      .from(executions)
      .where(eq(executions.clientId, client.id));
    expect(rows.filter((r) => r.workflowId === invoices.id).every((r) => r.reason === "pattern:^invoice")).toBe(true);
    expect(rows.filter((r) => r.workflowId === leads.id).every((r) => r.reason === null)).toBe(true);
    expect(await productionTotals(client.id)).toEqual({ rolled: 2, raw: 2 });
  });
});
