import type { Db } from "@/lib/db/database";
import { llmUsage } from "@/lib/db/schema";
import { type ExecutionStatus } from "@/lib/core/vocabulary";
import { refreshRollups } from "@/lib/ingest/rollups";
import { createClient, createWorkflow, insertExecutions } from "./factories";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** A Monday: the 7-day range is answered by hourly rollups; its weeks are whole. */
export const START = new Date("2026-03-02T00:00:00Z");
export const END = new Date("2026-03-09T00:00:00Z");
/** No execution on this day: a gap in every series. */
export const GAP_DAY = new Date("2026-03-05T00:00:00Z");

const STATUSES: ExecutionStatus[] = [
  "success",
  "success",
  "success",
  "error",
  "success",
  "crashed",
  "success",
  "canceled",
  "success",
  "waiting",
];

export interface SeedRow {
  workflow: "a" | "b" | "c";
  startedAt: Date;
  status: ExecutionStatus;
  durationMs: number | null;
  isProduction: boolean;
}

function rowsFor(workflow: "a" | "b" | "c", from: Date, count: number, everyHours: number, salt: number): SeedRow[] {
  const rows: SeedRow[] = [];
  for (let i = 0; i < count; i++) {
    const startedAt = new Date(from.getTime() + i * everyHours * HOUR + ((i * 13 + salt) % 60) * 60_000);
    if (startedAt >= GAP_DAY && startedAt < new Date(GAP_DAY.getTime() + DAY)) continue;
    const status = STATUSES[(i + salt) % STATUSES.length];
    rows.push({
      workflow,
      startedAt,
      status,
      // Spread over three orders of magnitude, so percentiles are not trivial.
      durationMs:
        status === "waiting" ? null : Math.round(50 + (((i * 7919 + salt * 104_729) % 60_000) * ((i % 4) + 1)) / 4),
      // Every 7th run is a manual test run: never counted.
      isProduction: i % 7 !== 3,
    });
  }
  return rows;
}

export interface Seeded {
  clientId: number;
  workflowIds: Record<"a" | "b" | "c", number>;
  rows: SeedRow[];
  /** LLM usage, each during one of the seeded runs. */
  llm: Array<{ workflow: "a" | "b"; run: SeedRow; tokens: [number, number]; costMicroUsd: number | null }>;
}

/**
 * Known data for the metrics tests: three workflows (A saves 5 minutes per success, B
 * the client default of 2, C only ran in the previous period), every status, manual
 * runs that must be ignored, a day without executions, LLM usage, then rollups.
 */
export async function seedMetrics(db: Db): Promise<Seeded> {
  const client = await createClient(db, { defaultMinutesSaved: 2 });
  const wfA = await createWorkflow(db, client.id, { name: "Invoice sync", minutesSavedPerExecution: 5 });
  const wfB = await createWorkflow(db, client.id, { name: "Lead router" });
  const wfC = await createWorkflow(db, client.id, { name: "Old report", minutesSavedPerExecution: 1 });
  const ids = { a: wfA.id, b: wfB.id, c: wfC.id };
  const previousStart = new Date(START.getTime() - 7 * DAY);
  const rows = [
    ...rowsFor("a", START, 84, 2, 1),
    ...rowsFor("b", START, 34, 5, 4),
    ...rowsFor("a", previousStart, 20, 8, 2),
    ...rowsFor("c", previousStart, 10, 12, 3),
  ];
  const n8nIds = new Map<number, number>(); // startedAt ms → n8n execution id
  for (const key of ["a", "b", "c"] as const) {
    const inserted = await insertExecutions(
      db,
      { clientId: client.id, workflowId: ids[key] },
      rows
        .filter((r) => r.workflow === key)
        .map((r) => ({
          startedAt: r.startedAt,
          status: r.status,
          durationMs: r.durationMs,
          stoppedAt: r.durationMs === null ? null : new Date(r.startedAt.getTime() + r.durationMs),
          isProduction: r.isProduction,
          mode: r.isProduction ? "trigger" : "manual",
          exclusionReason: r.isProduction ? null : "manual",
        })),
    );
    for (const row of inserted) if (row.startedAt) n8nIds.set(row.startedAt.getTime(), row.n8nExecutionId);
  }
  // LLM usage inside hours that have executions of the same workflow (rollups attribute it by hour).
  const firstA = rows.filter((r) => r.workflow === "a" && r.startedAt >= START);
  const llm: Seeded["llm"] = [
    { workflow: "a", run: firstA[0], tokens: [100, 40], costMicroUsd: 1_500 },
    { workflow: "a", run: firstA[1], tokens: [200, 80], costMicroUsd: 2_500 },
    { workflow: "a", run: firstA[2], tokens: [10, 5], costMicroUsd: null },
  ];
  await db.insert(llmUsage).values(
    llm.map((u, i) => ({
      clientId: client.id,
      workflowId: ids[u.workflow],
      n8nExecutionId: n8nIds.get(u.run.startedAt.getTime()),
      model: "gpt-4o-mini",
      promptTokens: u.tokens[0],
      completionTokens: u.tokens[1],
      totalTokens: u.tokens[0] + u.tokens[1],
      costMicroUsd: u.costMicroUsd,
      source: "ingest" as const,
      idempotencyKey: `seed-${client.id}-${i}`,
      occurredAt: new Date(u.run.startedAt.getTime() + 1000),
    })),
  );
  await refreshRollups(db, { clientId: client.id });
  return { clientId: client.id, workflowIds: ids, rows, llm };
}

/** Production rows started in [from, to). */
export function productionIn(rows: SeedRow[], from: Date, to: Date): SeedRow[] {
  return rows.filter((r) => r.isProduction && r.startedAt >= from && r.startedAt < to);
}

/** Exact percentile, interpolated like SQL percentile_cont. */
export function exactPercentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
}

export function expectedFigures(rows: SeedRow[], minutes: Record<"a" | "b" | "c", number>) {
  const count = (s: ExecutionStatus) => rows.filter((r) => r.status === s).length;
  const finished = count("success") + count("error") + count("crashed") + count("canceled");
  const durations = rows.map((r) => r.durationMs).filter((d): d is number => d !== null);
  return {
    executions: rows.length,
    success: count("success"),
    failures: count("error") + count("crashed"),
    finished,
    successRate: Math.round((10000 * count("success")) / finished) / 100,
    durations,
    avgDurationMs: Math.round((10 * durations.reduce((a, b) => a + b, 0)) / durations.length) / 10,
    minutesSaved: rows.filter((r) => r.status === "success").reduce((n, r) => n + minutes[r.workflow], 0),
  };
}

export const MINUTES = { a: 5, b: 2, c: 1 } as const;
