import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { executions, type Client } from "@/lib/db/schema";
import { UNFINISHED_STATUSES, type PhaseTimings, type SyncTrigger } from "@/lib/core/vocabulary";
import { env } from "@/lib/core/env";
import { getClientOrThrow } from "@/lib/clients/queries";
import { AppError } from "@/lib/core/errors";
import { connectN8n } from "@/lib/clients/connection";
import { classifyExecution, compileRules, storedFilterRules, type CompiledRules } from "@/lib/ingest/classify";
import { reclassifyWorkflows } from "@/lib/ingest/classify/reclassify";
import { N8nClient, N8nError, RequestTally, type N8nExecution } from "@/lib/n8n";
import { n8nRequestPoints, recordMetrics } from "@/lib/telemetry";
import { refreshRollups, type RefreshResult } from "@/lib/ingest/rollups";
import { recordRun, type RunCounts } from "@/lib/runs/record";
import { withClientLock } from "@/lib/runs/client-lock";
import { claimClientSync, releaseClientSync } from "@/lib/runs/client-claim";
import { loadCoverage } from "./coverage";
import { isFinal, toExecutionRow, upsertExecutions } from "./executions";
import { CoverageLedger, markMissing, unprobedGapIds, type Hole } from "./ledger";
import { ErrorDetailsCollector, type ErrorCollectDetails } from "./error-details";
import { LlmUsageCollector, type LlmCollectDetails } from "./llm-usage";
import { PhaseClock } from "./phases";
import { forEachPooled } from "@/lib/core/pool";
import { ensureWorkflows, upsertWorkflows, type WorkflowIndex } from "./workflows";

export interface SyncClientOptions {
  clientId: number;
  /** A run queued by whoever asked for this sync (lib/runs/record.ts queueRun). */
  runId?: number;
  trigger: SyncTrigger;
  now?: Date;
  /** Builds the n8n client; the default reads the client's stored connection. */
  connect?: (client: Client) => N8nClient;
  /** Executions fetched with run data at once (errors, LLM usage); default RUN_DATA_CONCURRENCY. */
  llmConcurrency?: number;
  /** AI executions fetched with run data per sync at most; default LLM_FETCH_LIMIT. */
  llmFetchLimit?: number;
  /** Failed executions fetched with run data per sync at most; default ERROR_FETCH_LIMIT. */
  errorFetchLimit?: number;
  /** Gap ids asked for one by one per sync at most; default GAP_PROBE_LIMIT. */
  gapProbeLimit?: number;
}

/** Gap probes in flight at once, as for run data: a steady, small load on the client's n8n. */
const PROBE_CONCURRENCY = 4;
/** Probes stop after this many failures in a row: n8n is down, the next sync goes on. */
const PROBE_FAILURES_IN_A_ROW = 3;

interface LedgerCounts {
  /** Parts of the id line read: the top, then each hole an earlier sync left. */
  segments: number;
  gapsRecorded: number;
  probed: number;
  found: number;
  missing: number;
  probeFailures: number;
}

interface SyncState {
  db: Db;
  client: Client;
  n8n: N8nClient;
  now: Date;
  rules: CompiledRules;
  workflows: WorkflowIndex;
  ledger: CoverageLedger;
  clock: PhaseClock;
  errors: ErrorDetailsCollector;
  llm: LlmUsageCollector;
  /** Ids stored with an unfinished status: only these can have a start n8n changes. */
  storedUnfinished: Set<number>;
  /** Ids listed or probed by this sync: the stored unfinished ones among them need no re-read. */
  seen: Set<number>;
  counts: { pages: number; seen: number; inserted: number; updated: number; excluded: number; workflowsSeen: number };
  ledgerCounts: LedgerCounts;
}

/**
 * One sync of one client: workflows; then the execution list, newest first, down to
 * where earlier syncs have read (the coverage ledger, ledger.ts), then every hole those
 * left (an interrupted sync), however many known pages lie between; then the ids the
 * list skipped, asked for one by one (a running execution is hidden from the list; a 404
 * is recorded as missing); then the stored unfinished executions; then, from their run
 * data, the LLM usage of AI workflows' executions (llm-usage.ts) and the errors of failed
 * ones (error-details.ts); then the dirty rollup buckets. A failure is
 * recorded with the counts so far and re-thrown, after rolling up what was stored.
 */
export function syncClient(db: Db, opts: SyncClientOptions) {
  return withClientLock(opts.clientId, () => syncClientNow(db, opts));
}

async function syncClientNow(db: Db, opts: SyncClientOptions) {
  // Read inside the lock: rules saved while this sync waited apply to it.
  const client = await getClientOrThrow(db, opts.clientId);
  return recordRun(
    db,
    { function: "sync-client", trigger: opts.trigger, clientId: client.id, runId: opts.runId },
    async (ctx) => {
      // Before the ledger is read: another process's sync of this client may be changing it.
      await claimClientSync(db, client.id, ctx.runId);
      // The stored connection remembers when this address first answered like n8n.
      const n8n = (opts.connect ?? ((c: Client) => connectN8n(c, { db })))(client);
      const requests = new RequestTally();
      n8n.observeRequests(requests.record);
      const workflows: WorkflowIndex = new Map();
      const state: SyncState = {
        db,
        client,
        n8n,
        now: opts.now ?? new Date(),
        rules: compileRules(storedFilterRules(client.filterRules)),
        workflows,
        ledger: await CoverageLedger.load(db, client.id),
        clock: new PhaseClock(),
        errors: new ErrorDetailsCollector({
          db,
          clientId: client.id,
          n8n,
          concurrency: opts.llmConcurrency,
          limit: opts.errorFetchLimit,
        }),
        llm: new LlmUsageCollector({
          db,
          clientId: client.id,
          n8n,
          workflows,
          concurrency: opts.llmConcurrency,
          limit: opts.llmFetchLimit,
        }),
        seen: new Set(),
        storedUnfinished: new Set(),
        counts: { pages: 0, seen: 0, inserted: 0, updated: 0, excluded: 0, workflowsSeen: 0 },
        ledgerCounts: { segments: 0, gapsRecorded: 0, probed: 0, found: 0, missing: 0, probeFailures: 0 },
      };
      let rollup: RefreshResult | undefined;
      try {
        await syncWorkflows(state);
        const unfinished = await storedUnfinishedIds(db, client.id);
        state.storedUnfinished = new Set(unfinished);
        await readExecutionList(state);
        await probeGaps(state, opts.gapProbeLimit ?? env.GAP_PROBE_LIMIT);
        await recheckUnfinished(
          state,
          [...unfinished].filter((id) => !state.seen.has(id)),
        );
        // Usage first: it stores the errors of the failed AI executions it reads.
        await state.clock.time("llm", () => state.llm.collectPending());
        await state.clock.time("errors", () => state.errors.collectPending());
        // After every usage row is stored, so the dirty buckets include them.
        rollup = await state.clock.time("rollup", () => refreshRollups(db, { clientId: client.id }));
        const coverage = await loadCoverage(db, client.id);
        return { ...runCounts(state), details: { ...runDetails(state, rollup), coverage } };
      } catch (err) {
        // What was stored before the failure is counted now, not at the next success.
        if (!rollup) {
          rollup = await state.clock
            .time("rollup", () => refreshRollups(db, { clientId: client.id }))
            .catch(() => undefined);
        }
        Object.assign(ctx.progress, runCounts(state), { details: runDetails(state, rollup) });
        throw err;
      } finally {
        recordMetrics(db, n8nRequestPoints(client.id, requests));
        await releaseClientSync(db, client.id, ctx.runId).catch(() => {});
      }
    },
  );
}

function runCounts(state: SyncState): RunCounts & { phaseMs: PhaseTimings } {
  const { counts } = state;
  return {
    pages: counts.pages,
    workflowsSeen: counts.workflowsSeen,
    executionsSeen: counts.seen,
    executionsNew: counts.inserted,
    executionsUpdated: counts.updated,
    executionsExcluded: counts.excluded,
    phaseMs: state.clock.toJSON(),
  };
}

/** What a sync run records beyond its counts (sync_runs.details). */
export interface SyncDetails {
  ledger: LedgerCounts;
  rollup: RefreshResult | null;
  errors: ErrorCollectDetails;
  llm: LlmCollectDetails;
}

function runDetails(state: SyncState, rollup: RefreshResult | undefined): SyncDetails {
  return {
    ledger: state.ledgerCounts,
    rollup: rollup ?? null,
    errors: state.errors.details(),
    llm: state.llm.details(),
  };
}

async function syncWorkflows(state: SyncState): Promise<void> {
  const { db, client, clock } = state;
  const changed: number[] = [];
  const pages = state.n8n.workflowPages();
  while (true) {
    const next = await clock.time("fetch", () => pages.next());
    if (next.done) break;
    state.counts.workflowsSeen += next.value.length;
    state.llm.noteWorkflows(next.value);
    const { rows, changedIds } = await clock.time("store", () => upsertWorkflows(db, client.id, next.value));
    for (const row of rows) state.workflows.set(row.n8nWorkflowId, row);
    changed.push(...changedIds);
  }
  if (changed.length > 0) {
    // A renamed or re-tagged workflow may change the class of its whole history.
    const { changed: rows } = await clock.time("classify", () =>
      reclassifyWorkflows(db, { clientId: client.id, filterRules: client.filterRules, workflowIds: changed }),
    );
    state.counts.updated += rows;
  }
}

async function storedUnfinishedIds(db: Db, clientId: number): Promise<Set<number>> {
  const rows = await db
    .select({ id: executions.n8nExecutionId })
    .from(executions)
    .where(and(eq(executions.clientId, clientId), inArray(executions.status, [...UNFINISHED_STATUSES])));
  return new Set(rows.map((r) => r.id));
}

/**
 * The top of the id line, then every hole under it, until the read spans reach the
 * floor; then one page under the floor.
 */
async function readExecutionList(state: SyncState): Promise<void> {
  for (let hole: Hole | null = state.ledger.topHole(); hole;) {
    state.ledgerCounts.segments += 1;
    const lo = await readHole(state, hole);
    hole = lo === null ? null : state.ledger.holeUnder(lo);
  }
  await readUnderFloor(state);
}

/**
 * n8n prunes finished executions, not running ones, and hides running ones from the
 * list: one that was running under the oldest listed id when the floor was set shows up
 * there once it finishes. One page under the floor each sync finds it. Each one stored
 * is recorded as a read span of its own, so that after retention drops it, it is not
 * collected (and counted) again; ids between them are not gaps, they predate the history.
 */
async function readUnderFloor(state: SyncState): Promise<void> {
  const { ledger, clock } = state;
  if (ledger.floor === null || ledger.floor <= 1) return;
  const pages = state.n8n.executionPages({ limit: 250, belowId: ledger.floor });
  try {
    const next = await clock.time("fetch", () => pages.next());
    if (next.done || next.value.executions.length === 0) return;
    const page = next.value.executions;
    const ids = page.map((e) => Number(e.id));
    const known = await clock.time("store", () =>
      ledger.collectable({ lo: Math.min(...ids), hi: ledger.floor! - 1 }, ids),
    );
    const fresh = ids.filter((id) => ledger.spanOf(id) === null);
    const toStore = page.filter((e) => known.has(Number(e.id)) || fresh.includes(Number(e.id)));
    if (toStore.length === 0) return;
    state.counts.pages += 1;
    state.counts.seen += toStore.length;
    for (const e of toStore) state.seen.add(Number(e.id));
    await storePage(state, toStore);
    for (const id of fresh) await clock.time("store", () => ledger.markRead({ lo: id, hi: id }));
  } finally {
    await pages.return(undefined);
  }
}

/**
 * Pages the list from `hole.below` down to the read span under it (or to the end of the
 * list), recording each page's span as read once it is stored, so an interruption keeps
 * what was read. Returns the bottom of the read span the hole joined, or null when n8n
 * lists nothing and nothing was read before.
 */
async function readHole(state: SyncState, hole: Hole): Promise<number | null> {
  const { clock, ledger } = state;
  const pages = state.n8n.executionPages({ limit: 250, belowId: hole.below ?? undefined });
  // The highest id the next page accounts for: ids between it and the page's are gaps.
  let top = hole.below === null ? null : hole.below - 1;
  let pending = pages.next();
  try {
    while (true) {
      const next = await clock.time("fetch", () => pending);
      if (next.done) return null;
      const { executions: page, nextCursor } = next.value;
      const end = nextCursor === null;
      if (!end) {
        // Download the next page while this one is stored.
        pending = pages.next();
        pending.catch(() => {});
      }
      const ids = page.map((e) => Number(e.id));
      if (top === null) {
        if (ids.length === 0) return hole.stopHi === null ? null : (ledger.spanOf(hole.stopHi)?.lo ?? null);
        top = Math.max(...ids);
        if (hole.stopHi !== null && top < hole.stopHi)
          await refuseOtherInstance(
            state,
            page.find((e) => Number(e.id) === top)!,
            hole.stopHi,
          );
      }
      const lowest = ids.length > 0 ? Math.min(...ids) : top + 1;
      // At the end of the list everything down to the span under the hole has been accounted for.
      let lo = end && hole.stopHi !== null ? hole.stopHi + 1 : lowest;
      const reached = hole.stopHi !== null && lo <= hole.stopHi + 1;
      if (reached) lo = (hole.stopHi as number) + 1;

      state.counts.pages += 1;
      state.counts.seen += page.length;
      // Read ground under the hole holds only ids already stored or recorded as gaps; any
      // other was stored, counted and dropped by retention, and must not be counted twice.
      const readGround =
        lowest < lo ? await clock.time("store", () => ledger.collectable({ lo: lowest, hi: lo - 1 }, ids)) : null;
      const toStore =
        readGround === null ? page : page.filter((e) => Number(e.id) >= lo || readGround.has(Number(e.id)));
      for (const e of toStore) state.seen.add(Number(e.id));
      await storePage(state, toStore);
      await clock.time("store", async () => {
        if (lo <= top!) state.ledgerCounts.gapsRecorded += await ledger.recordGaps({ lo, hi: top! }, ids);
        // A page reaching into read ground may list an id recorded as a gap: no longer one.
        if (lowest < lo) await ledger.dropStoredFromGaps({ lo: lowest, hi: lo - 1 });
      });
      const merged = await clock.time("store", () => ledger.markRead({ lo, hi: top! }));
      if (end && hole.stopHi === null) await ledger.setFloor(merged.lo, state.now);
      if (end || reached) return merged.lo;
      top = lowest - 1;
    }
  } finally {
    await pages.return(undefined);
  }
}

/**
 * n8n's newest id is below ids already read. n8n deleting its newest executions explains
 * that only if the newest one it lists is the one stored under that id; otherwise the
 * address now serves another (or a reset) instance, whose ids would be taken for ones
 * already read and its executions skipped or written over stored ones. Refuse.
 */
async function refuseOtherInstance(state: SyncState, newest: N8nExecution, readTop: number): Promise<void> {
  const [stored] = await state.db
    .select({ startedAt: executions.startedAt })
    .from(executions)
    .where(and(eq(executions.clientId, state.client.id), eq(executions.n8nExecutionId, Number(newest.id))));
  const same = stored && (stored.startedAt?.getTime() ?? null) === (newest.startedAt?.getTime() ?? null);
  if (same) return;
  throw new AppError(
    "conflict",
    `n8n at ${state.n8n.baseUrl} lists execution ${newest.id} as its newest, but executions up to ${readTop} were ` +
      "already collected from this client and execution " +
      newest.id +
      " is not one of them: the address now serves " +
      "another or a reset n8n instance. Register it as a new client; this client's history is kept as it is.",
  );
}

/**
 * Asks n8n for gap ids one by one, newest first, up to `limit`: one found (it was running
 * when its page was read, or finished since) is stored like a listed one; a 404 is
 * recorded as missing. A failed probe leaves its id for the next sync.
 */
async function probeGaps(state: SyncState, limit: number): Promise<void> {
  const { db, client, clock, ledgerCounts } = state;
  const ids = await unprobedGapIds(db, client.id, limit);
  if (ids.length === 0) return;
  const found: N8nExecution[] = [];
  const missing: number[] = [];
  let failuresInARow = 0;
  let lastFailure: unknown = null;
  await clock.time("probe", () =>
    forEachPooled(ids, PROBE_CONCURRENCY, async (id) => {
      if (failuresInARow >= PROBE_FAILURES_IN_A_ROW) return;
      try {
        const execution = await state.n8n.getExecution(String(id));
        failuresInARow = 0;
        ledgerCounts.probed += 1;
        if (execution) found.push(execution);
        else missing.push(id);
      } catch (err) {
        if (!(err instanceof N8nError) || !err.transient) throw err;
        failuresInARow += 1;
        ledgerCounts.probeFailures += 1;
        lastFailure = err;
      }
    }),
  );
  if (found.length > 0) {
    for (const e of found) state.seen.add(Number(e.id));
    await storePage(state, found);
    ledgerCounts.found += found.length;
    await clock.time("store", () =>
      state.ledger.dropStoredFromGaps({
        lo: Math.min(...found.map((e) => Number(e.id))),
        hi: Math.max(...found.map((e) => Number(e.id))),
      }),
    );
  }
  await clock.time("store", () => markMissing(db, client.id, missing, state.now));
  ledgerCounts.missing += missing.length;
  // n8n stopped answering: the sync fails (what it stored is kept and rolled up).
  if (failuresInARow >= PROBE_FAILURES_IN_A_ROW && lastFailure) throw lastFailure;
}

async function storePage(state: SyncState, page: N8nExecution[]) {
  const { db, client, clock } = state;
  await clock.time("store", () =>
    ensureWorkflows(
      db,
      client.id,
      state.workflows,
      page.map((e) => e.workflowId),
    ),
  );
  const rows = clock.timeSync("classify", () =>
    page.map((e) => {
      // ensureWorkflows guarantees the entry.
      const workflow = state.workflows.get(e.workflowId) as NonNullable<ReturnType<WorkflowIndex["get"]>>;
      const c = classifyExecution(e, workflow, state.rules);
      if (!c.isProduction) state.counts.excluded += 1;
      const needsLlmUsage = state.llm.needsUsage(e.workflowId);
      return toExecutionRow(e, { clientId: client.id, workflowId: workflow.id, needsLlmUsage }, c);
    }),
  );
  const { inserted, updated } = await clock.time("store", () =>
    upsertExecutions(db, rows, (r) => state.storedUnfinished.has(r.n8nExecutionId)),
  );
  for (const r of rows) {
    if (isFinal(r.status)) state.storedUnfinished.delete(r.n8nExecutionId);
    else state.storedUnfinished.add(r.n8nExecutionId);
  }
  state.counts.inserted += inserted;
  state.counts.updated += updated;
}

/**
 * Stored executions that were unfinished and were neither listed nor probed by this sync
 * are read one by one. One that n8n no longer has (pruned) becomes `unknown`, so it is
 * not re-read forever, and counts as LLM-extracted: there is no run data left to read.
 */
async function recheckUnfinished(state: SyncState, ids: number[]) {
  const { db, client, clock } = state;
  const found: N8nExecution[] = [];
  const gone: number[] = [];
  for (const id of ids) {
    const e = await clock.time("fetch", () => state.n8n.getExecution(String(id)));
    if (e) found.push(e);
    else gone.push(id);
  }
  if (found.length > 0) await storePage(state, found);
  if (gone.length > 0) {
    await clock.time("store", () =>
      db
        .update(executions)
        .set({
          status: "unknown",
          updatedAt: sql`now()`,
          llmExtractedAt: sql`coalesce(${executions.llmExtractedAt}, now())`,
        })
        .where(and(eq(executions.clientId, client.id), inArray(executions.n8nExecutionId, gone))),
    );
  }
}
