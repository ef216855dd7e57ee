/**
 * Coverage: executions n8n pruned or deleted before Flowscope collected them, found
 * missing (a probe answered 404) within the trailing window: the integrity ledger's
 * `missing` gaps (lib/ingest/collect/ledger.ts), counted in execution ids.
 */
import { sql } from "drizzle-orm";
import { isoTime, queryRows, ts, type Db } from "@/lib/db/database";
import { arrayParam } from "@/lib/db/sql-literals";
import { MINUTE_MS } from "@/lib/core/time";
import type { ParamsOf } from "../rules";
import { clientSubject } from "../subject";
import type { ClientTarget, Measurements, RuleToEvaluate } from "../types";
import { durationText } from "./context";

export async function measureCoverage(
  db: Db,
  rule: RuleToEvaluate & { params: ParamsOf<"coverage"> },
  targets: ClientTarget[],
  times: Date[],
): Promise<Measurements> {
  const windowMs = rule.params.windowMinutes * MINUTE_MS;
  const out: Measurements = times.map(() => []);
  if (targets.length === 0 || times.length === 0) return out;
  const lo = new Date(Math.min(...times.map((t) => t.getTime())) - windowMs);
  const hi = new Date(Math.max(...times.map((t) => t.getTime())));
  const gaps = await queryRows<{ client_id: number; ids: unknown; since: unknown }>(
    db,
    sql`select client_id, (hi - lo + 1)::float8 as ids, missing_since as since from collect_gaps
      where client_id = any(${arrayParam(targets.map((c) => c.id))}::int[]) and state = 'missing'
        and missing_since >= ${ts(lo)} and missing_since < ${ts(hi)}`,
  );
  times.forEach((t, i) => {
    const to = t.getTime();
    for (const client of targets) {
      const missing = gaps
        .filter((g) => Number(g.client_id) === client.id)
        .filter((g) => {
          const since = Date.parse(isoTime(g.since as Date | string));
          return since >= to - windowMs && since < to;
        })
        .reduce((n, g) => n + Number(g.ids), 0);
      if (missing < rule.params.minMissing) continue;
      out[i]!.push({
        subject: clientSubject(client.id),
        clientId: client.id,
        workflowId: null,
        value: missing,
        threshold: rule.params.minMissing,
        summary: `${client.name}: ${missing} execution${missing === 1 ? "" : "s"} found missing in the last ${durationText(windowMs)} (n8n pruned or deleted them before they were collected)`,
        link: `/admin/clients/${client.id}`,
      });
    }
  });
  return out;
}
