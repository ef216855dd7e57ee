/**
 * LLM cost against a budget: the client's counted LLM cost today or this month, on its
 * own clock, as the dashboards count it (usage attributed to a workflow and not of an
 * excluded execution: countedUsage); a monthly budget can also fire on pace, when the
 * month so far, projected to the month's end, passes it.
 */
import { sql } from "drizzle-orm";
import { isoTime, queryRows, ts, type Db } from "@/lib/db/database";
import { arrayParam } from "@/lib/db/sql-literals";
import { DAY_MS } from "@/lib/core/time";
import { zoneAdd, zoneTrunc } from "@/lib/core/zone-time";
import { countedUsage } from "@/lib/ingest/rollups/usage";
import type { ParamsOf } from "../rules";
import { clientSubject } from "../subject";
import type { ClientTarget, Measurements, RuleToEvaluate } from "../types";
import { TimeSums } from "./sorted";

/** A month's pace is judged only after its first day: one busy morning is not a trend. */
const FORECAST_AFTER_MS = DAY_MS;

const usd = (micro: number) => `$${(micro / 1e6).toFixed(2)}`;

export async function measureLlmCost(
  db: Db,
  rule: RuleToEvaluate & { params: ParamsOf<"llm_cost"> },
  targets: ClientTarget[],
  times: Date[],
): Promise<Measurements> {
  const p = rule.params;
  const out: Measurements = times.map(() => []);
  if (targets.length === 0 || times.length === 0) return out;
  const budget = p.budgetUsd * 1e6;
  const periodStart = (t: Date, zone: string) => zoneTrunc(t, p.period, zone);
  const lo = new Date(Math.min(...targets.flatMap((c) => times.map((t) => periodStart(t, c.timeZone).getTime()))));
  const hi = new Date(Math.max(...times.map((t) => t.getTime())));
  // Cost per client and minute: any instant's period total is a sum of whole minutes
  // (instants are taken on the minute; a single one bounds the query exactly).
  const rows = await queryRows<{ client_id: number; minute: unknown; cost: unknown }>(
    db,
    sql`select u.client_id, date_trunc('minute', u.occurred_at) as minute,
        coalesce(sum(coalesce(u.cost_micro_usd, 0)), 0)::float8 as cost
      from llm_usage u where u.client_id = any(${arrayParam(targets.map((c) => c.id))}::int[])
        and u.workflow_id is not null and u.occurred_at >= ${ts(lo)} and u.occurred_at < ${ts(hi)}
        ${rule.workflowId === null ? sql`` : sql`and u.workflow_id = ${rule.workflowId}`}
        and ${countedUsage(sql.raw("u"))}
      group by 1, 2 order by 1, 2`,
  );
  const points = new Map<number, Array<{ at: number; amount: number }>>();
  for (const r of rows) {
    const list = points.get(Number(r.client_id)) ?? [];
    list.push({ at: Date.parse(isoTime(r.minute as Date | string)), amount: Number(r.cost) });
    points.set(Number(r.client_id), list);
  }
  const perClient = new Map([...points].map(([id, list]) => [id, new TimeSums(list)]));
  times.forEach((t, i) => {
    for (const client of targets) {
      const from = periodStart(t, client.timeZone);
      const end = zoneAdd(from, p.period, 1, client.timeZone);
      const spent = perClient.get(client.id)?.sum(from.getTime(), t.getTime()) ?? 0;
      const elapsed = t.getTime() - from.getTime();
      const pace =
        p.forecast && elapsed >= FORECAST_AFTER_MS ? (spent / elapsed) * (end.getTime() - from.getTime()) : 0;
      const period = p.period === "day" ? "today" : "this month";
      const base = {
        subject: clientSubject(client.id),
        clientId: client.id,
        workflowId: rule.workflowId,
        threshold: p.budgetUsd,
        link: `/clients/${encodeURIComponent(client.slug)}/llm`,
      };
      if (spent > budget) {
        out[i]!.push({
          ...base,
          value: Math.round(spent) / 1e6,
          summary: `${client.name}: LLM cost ${usd(spent)} ${period}, over the ${usd(budget)} budget`,
          details: { spentUsd: spent / 1e6, forecastUsd: null },
        });
      } else if (pace > budget) {
        out[i]!.push({
          ...base,
          value: Math.round(pace) / 1e6,
          summary: `${client.name}: LLM cost ${usd(spent)} so far this month, on pace for ${usd(pace)} by month end (budget ${usd(budget)})`,
          details: { spentUsd: spent / 1e6, forecastUsd: pace / 1e6 },
        });
      }
    }
  });
  return out;
}
