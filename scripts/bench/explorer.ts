/**
 * The executions explorer's pages (GET /api/v1/metrics/executions, lib/metrics/explorer.ts)
 * on the query benchmark's data: each filter it offers on the largest client, and a page
 * deep in the list, to show that keyset paging costs the same at any depth and that each
 * filter has its index (or needs none).
 */
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/lib/db/database";
import { listExecutions } from "@/lib/metrics/explorer";

export interface ExplorerCase {
  name: string;
  run: () => Promise<unknown>;
}

export async function explorerCases(db: Db, clientId: number, now: Date): Promise<ExplorerCase[]> {
  // The client's quietest workflow with runs, and the id 10,000 rows down the list (or half way).
  const [quiet] = await queryRows<{ workflow_id: number; n: number }>(
    db,
    sql`select workflow_id, count(*)::int as n from executions where client_id = ${clientId}
      group by 1 order by 2, 1 limit 1`,
  );
  const [deep] = await queryRows<{ id: unknown; depth: number }>(
    db,
    sql`with n as (select least(10000, count(*) / 2)::int as depth from executions where client_id = ${clientId})
    select (select n8n_execution_id from executions where client_id = ${clientId}
      order by n8n_execution_id desc offset (select depth from n) limit 1) as id, (select depth from n) as depth`,
  );
  const page = (q: Omit<Parameters<typeof listExecutions>[1], "clientId">) => () =>
    listExecutions(db, { clientId, now, ...q });
  return [
    { name: "newest 50", run: page({}) },
    { name: "failures (error, crashed)", run: page({ status: ["error", "crashed"] }) },
    { name: `quietest workflow (${quiet.n} runs)`, run: page({ workflowId: quiet.workflow_id }) },
    { name: "excluded, last 7 days", run: page({ class: "excluded", timeframe: "7d" }) },
    { name: "slower than 10 s", run: page({ minDurationMs: 10_000 }) },
    { name: `${deep.depth.toLocaleString("en-US")} rows deep`, run: page({ cursor: Number(deep.id) }) },
    { name: "CSV export (10,000 rows)", run: page({ limit: 10_000 }) },
  ];
}
