/**
 * Flowscope's own jobs as Prometheus figures, from sync_runs: finished runs per function
 * and status, the newest finished run's duration per function, and the runs queued or
 * running now.
 *
 * sync_runs keeps every run, so counting it whole on every scrape would grow without
 * bound. Runs that finished long enough ago are settled: their counts are kept per
 * process (per database handle) up to a run id, and each scrape reads only the rows after
 * it through the primary key: the runs of about the last day, and every run still open.
 */
import { sql } from "drizzle-orm";
import { num, queryRows, ts, type Db } from "@/lib/db/database";
import type { SyncFunction } from "@/lib/core/vocabulary";

/**
 * How long after it finished (or started) a run is left unsettled: a retried Inngest run
 * reopens its row (lib/runs/record.ts), and an id a slow insert took may commit after a
 * later one; both are read as they are now while within this window.
 */
export const SETTLE_AFTER_MS = 24 * 3_600_000;

export interface LastRun {
  finishedAt: number;
  seconds: number;
}

interface Settled {
  /** Every run with an id up to here is counted in `finished` and `last`. */
  through: number;
  /** Finished runs by "function\u0000status". */
  finished: Map<string, number>;
  last: Map<string, LastRun>;
}

export interface RunFigures {
  /** Finished runs by function and status (success, error). */
  finished: Array<{ function: SyncFunction; status: string; count: number }>;
  /** Runs queued or running now, by function and state. */
  open: Array<{ function: SyncFunction; state: string; count: number }>;
  /** The newest finished run of each function that has run: its duration. */
  last: Array<{ function: SyncFunction; seconds: number }>;
}

const SETTLED = Symbol.for("flowscope.prometheusSettledRuns");
type WithSettled = typeof globalThis & { [SETTLED]?: WeakMap<Db, Settled> };

function settledStore(): WeakMap<Db, Settled> {
  const g = globalThis as WithSettled;
  return (g[SETTLED] ??= new WeakMap());
}

const key = (fn: string, status: string) => `${fn}\u0000${status}`;

function newer(a: LastRun | undefined, b: LastRun | undefined): LastRun | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.finishedAt > a.finishedAt ? b : a;
}

interface GroupRow {
  function: SyncFunction;
  status: string;
  settled: boolean;
  open: boolean;
  n: number | string;
}

interface LastRow {
  function: SyncFunction;
  settled: boolean;
  finished_at: Date | string;
  seconds: number | string;
}

/** The run figures at `now`; settles what finished more than SETTLE_AFTER_MS before it. */
export async function loadRunFigures(db: Db, now: Date): Promise<RunFigures> {
  const store = settledStore();
  const before = store.get(db) ?? { through: 0, finished: new Map(), last: new Map() };
  const from = before.through;
  const cutoff = new Date(now.getTime() - SETTLE_AFTER_MS);

  // The new settle point: just under the first run after `from` that is open or recent;
  // when none is, the newest run. Both through the primary key, from `from` on.
  const [point] = await queryRows<{ open_from: number | string | null; newest: number | string | null }>(
    db,
    sql`select (select min(id) from sync_runs where id > ${from}
        and (finished_at is null or finished_at > ${ts(cutoff)} or started_at > ${ts(cutoff)})) as open_from,
      (select max(id) from sync_runs where id > ${from}) as newest`,
  );
  const through =
    point.open_from !== null ? Number(point.open_from) - 1 : point.newest !== null ? Number(point.newest) : from;

  const [groups, lasts] = await Promise.all([
    queryRows<GroupRow>(
      db,
      sql`select function, status, id <= ${through} as settled, finished_at is null as open, count(*) as n
        from sync_runs where id > ${from} group by 1, 2, 3, 4`,
    ),
    queryRows<LastRow>(
      db,
      sql`select distinct on (function, settled) function, settled, finished_at,
          extract(epoch from finished_at - started_at)::float8 as seconds
        from (select id, function, id <= ${through} as settled, started_at, finished_at from sync_runs
          where id > ${from} and finished_at is not null) r
        order by function, settled, finished_at desc, id desc`,
    ),
  ]);

  const settled: Settled = { through, finished: new Map(before.finished), last: new Map(before.last) };
  const finished = new Map<string, number>();
  const open = new Map<string, number>();
  for (const row of groups) {
    const n = num(row.n);
    if (row.open) {
      // A row under the settle point is never open (the point stops below the first open one).
      open.set(key(row.function, row.status), (open.get(key(row.function, row.status)) ?? 0) + n);
      continue;
    }
    const k = key(row.function, row.status);
    if (row.settled) settled.finished.set(k, (settled.finished.get(k) ?? 0) + n);
    else finished.set(k, (finished.get(k) ?? 0) + n);
  }
  const recentLast = new Map<string, LastRun>();
  for (const row of lasts) {
    const run = { finishedAt: new Date(row.finished_at).getTime(), seconds: Math.max(0, num(row.seconds)) };
    const target = row.settled ? settled.last : recentLast;
    target.set(row.function, newer(target.get(row.function), run)!);
  }
  // Another scrape of the same handle may have settled meanwhile: keep one of the two, never both added.
  if ((store.get(db)?.through ?? 0) === from) store.set(db, settled);

  for (const [k, n] of settled.finished) finished.set(k, (finished.get(k) ?? 0) + n);
  const last = new Map(settled.last);
  for (const [fn, run] of recentLast) last.set(fn, newer(last.get(fn), run)!);

  const split = (k: string) => k.split("\u0000") as [SyncFunction, string];
  return {
    finished: [...finished].map(([k, count]) => {
      const [fn, status] = split(k);
      return { function: fn, status, count };
    }),
    open: [...open].map(([k, count]) => {
      const [fn, state] = split(k);
      return { function: fn, state, count };
    }),
    last: [...last].map(([fn, run]) => ({ function: fn as SyncFunction, seconds: run.seconds })),
  };
}
