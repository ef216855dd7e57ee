import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/database";
import { storedApiKey } from "@/lib/clients/connection";
import { clients, executions, workflows, type NewExecution } from "@/lib/db/schema";

/** Unique-value factories: every call makes its own rows, so tests never share fixtures. */
const unique = () => randomBytes(4).toString("hex");

/** `n8nApiKey` is given in plain text and stored encrypted, as the app does; `plainApiKey` returns it. */
export async function createClient(db: Db, values: Partial<typeof clients.$inferInsert> = {}) {
  const id = unique();
  const plainApiKey = values.n8nApiKey ?? `key-${id}`;
  const [row] = await db
    .insert(clients)
    .values({
      name: `Client ${id}`,
      slug: `client-${id}`,
      n8nBaseUrl: "http://127.0.0.1:1",
      ...values,
      ...storedApiKey(plainApiKey),
    })
    .returning();
  return { ...row, plainApiKey };
}

export async function createWorkflow(db: Db, clientId: number, values: Partial<typeof workflows.$inferInsert> = {}) {
  const id = unique();
  const [row] = await db
    .insert(workflows)
    .values({ clientId, n8nWorkflowId: id, name: `Workflow ${id}`, ...values })
    .returning();
  return row;
}

let nextExecutionId = 1;

/** Inserts executions directly (tests of rollups and retention only; the app collects). */
export async function insertExecutions(
  db: Db,
  base: { clientId: number; workflowId: number },
  rows: Array<Partial<NewExecution> & { startedAt: Date }>,
) {
  if (rows.length === 0) return [];
  const values = rows.map((r) => {
    const durationMs = r.durationMs ?? 1000;
    return {
      n8nExecutionId: nextExecutionId++,
      status: "success" as const,
      mode: "trigger",
      finished: (r.status ?? "success") === "success",
      stoppedAt: new Date(r.startedAt.getTime() + durationMs),
      durationMs,
      isProduction: true,
      ...base,
      ...r,
    };
  });
  const out = [];
  for (let i = 0; i < values.length; i += 1000) {
    out.push(
      ...(await db
        .insert(executions)
        .values(values.slice(i, i + 1000))
        .returning()),
    );
  }
  return out;
}
