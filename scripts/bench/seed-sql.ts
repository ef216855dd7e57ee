/**
 * Seeds the query benchmark's data set entirely in SQL (`insert ... select ... from
 * generate_series`), so millions of rows cost seconds, not a sync:
 *
 * - `clients` clients and `workflows` workflows, workflow i belonging to client i mod clients;
 * - `executions` executions over the last `days` days. The insert trigger queues every
 *   (client, workflow, hour) they fall in (rollup_dirty_hours), so the real rollup code
 *   computes every level afterwards.
 *
 * Skew, so the plans see realistic distributions:
 * - workflow popularity ~ 1000·u² (a few workflows run most, as in n8n installs), which
 *   also makes some clients much larger than others;
 * - time: age = days·(1 − √u), i.e. volume growing linearly towards now;
 * - status: 90% success, 6% error, 1% crashed, 1% canceled, 2% waiting/running in the
 *   last hour (older draws of those finished as successes: n8n ends or crashes every run,
 *   so only recent ones are still going, and the live figures read a realistic few);
 * - duration: log-normal, exp(N(ln 1.5 s, 1.1)) scaled by a per-workflow factor (1–7×),
 *   the normal drawn by Box–Muller (PostgreSQL 15 has no random_normal);
 * - 5% manual (non-production, excluded) runs.
 */
import { sql } from "drizzle-orm";
import { subDays } from "date-fns";
import { queryRows, type Db } from "@/lib/db/database";
import { createMonthPartitions, monthsBetween } from "@/lib/db/partitions";

/** Age (days) under which a run may still be waiting or running. */
const UNFINISHED_DAYS = 1 / 24;

export interface SeedOptions {
  executions: number;
  clients: number;
  workflows: number;
  days: number;
  /** Rows per INSERT statement (progress is reported between them). */
  batch?: number;
  log?: (message: string) => void;
}

export interface SeedResult {
  clientIds: number[];
  executions: number;
  ms: number;
}

export async function seedBenchData(db: Db, o: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const log = o.log ?? (() => {});
  const clientRows = await queryRows<{ id: number }>(
    db,
    sql`insert into clients (name, slug, n8n_base_url, n8n_api_key, default_minutes_saved)
      select 'Bench client ' || i, 'bench-client-' || i, 'http://bench.invalid/' || i, 'bench-key', 2
      from generate_series(1, ${o.clients}) i order by i returning id`,
  );
  const clientIds = clientRows.map((r) => Number(r.id)).sort((a, b) => a - b);

  // Workflow i (0-based) belongs to clientIds[i mod clients]; n8n_workflow_id = i.
  await db.execute(sql`insert into workflows (client_id, n8n_workflow_id, name, active, minutes_saved_per_execution)
    select (${`{${clientIds.join(",")}}`}::int[])[1 + (i % ${o.clients})], i::text, 'Bench workflow ' || i, true,
      case when i % 4 = 0 then null else (i % 10) + 1 end
    from generate_series(0, ${o.workflows - 1}) i`);

  // Each month's rows straight into its partition: into the default one, they would be
  // moved at the next maintenance, and every read until then would scan it.
  await createMonthPartitions(db, "executions", monthsBetween(subDays(new Date(), o.days + 1), new Date()));
  const batch = o.batch ?? 500_000;
  for (let first = 1; first <= o.executions; first += batch) {
    const last = Math.min(o.executions, first + batch - 1);
    // Volatile random() in a subquery's target list is evaluated once per row; the outer
    // query reuses the draws (one status draw decides status, finished and error text).
    await db.execute(sql`insert into executions (client_id, workflow_id, n8n_execution_id, status, mode, finished,
        started_at, stopped_at, duration_ms, is_production, exclusion_reason, error_message, error_node,
        first_seen_at, updated_at)
      select w.client_id, w.id, d.g, d.status, d.mode, d.status = 'success', d.started_at,
        case when d.duration_ms is null then null else d.started_at + d.duration_ms * interval '1 millisecond' end,
        d.duration_ms, d.mode <> 'manual', case when d.mode = 'manual' then 'manual' end,
        case when d.status in ('error', 'crashed') then 'Bench failure ' || (d.g % 17) end,
        case when d.status in ('error', 'crashed') then 'Node ' || (d.g % 5) end,
        d.started_at, d.started_at
      from (
        select r.g, r.wf, now() - r.age_days * interval '1 day' as started_at,
          case when r.u_status < 0.90 then 'success' when r.u_status < 0.96 then 'error'
            when r.u_status < 0.97 then 'crashed' when r.u_status < 0.98 then 'canceled'
            when r.age_days >= ${UNFINISHED_DAYS} then 'success'
            when r.u_status < 0.99 then 'waiting' else 'running' end as status,
          case when r.u_mode < 0.05 then 'manual' when r.u_mode < 0.45 then 'webhook' else 'trigger' end as mode,
          case when r.u_status >= 0.98 and r.age_days < ${UNFINISHED_DAYS} then null
            else least(2000000000, round(exp(ln(1500) + 1.1 * sqrt(-2 * ln(1 - r.u1)) * cos(2 * pi() * r.u2))
              * (1 + r.wf % 7)))::int end as duration_ms
        from (
          select g, floor(${o.workflows} * random() ^ 2)::int as wf, ${o.days} * (1 - sqrt(random())) as age_days,
            random() as u_status, random() as u_mode, random() as u1, random() as u2
          from generate_series(${first}::bigint, ${last}::bigint) g) r) d
      join workflows w on w.n8n_workflow_id = d.wf::text`);
    log(`  seeded ${last.toLocaleString("en-US")} / ${o.executions.toLocaleString("en-US")} executions`);
  }
  await db.execute(sql`analyze`);
  return { clientIds, executions: o.executions, ms: performance.now() - started };
}
