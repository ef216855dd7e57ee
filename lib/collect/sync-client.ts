import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { clients, executions, type Client, type SyncTrigger } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { getClientOrThrow } from "@/lib/clients/queries";
import { connectN8n } from "@/lib/clients/connection";
import { classifyExecution, compileRules, storedFilterRules, type CompiledRules } from "@/lib/classify";
import { reclassifyWorkflows } from "@/lib/classify/reclassify";
import { N8nClient, type N8nExecution } from "@/lib/n8n";
import { refreshRollups } from "@/lib/rollups";
import { recordRun } from "@/lib/runs/record";
import { withClientLock } from "@/lib/runs/client-lock";
import { isFinal, toExecutionRow, UNFINISHED_STATUSES, upsertExecutions } from "./executions";
import { LlmUsageCollector } from "./llm-usage";
import { PhaseClock } from "./phases";
import { ensureWorkflows, upsertWorkflows, type WorkflowIndex } from "./workflows";

export interface SyncClientOptions {
  clientId: number;
  /** A run queued by whoever asked for this sync (lib/runs/record.ts queueRun). */
  runId?: number;
  trigger: SyncTrigger;
  now?: Date;
  /** Hours re-read behind the newest known page; running executions surface late, under lower ids. */
  recheckWindowHours?: number;
  /** Builds the n8n client; the default reads the client's stored connection. */
  connect?: (client: Client) => N8nClient;
  /** Executions fetched with run data at once (LLM usage); default LLM_FETCH_CONCURRENCY. */
  llmConcurrency?: number;
  /** Executions fetched with run data per sync at most; default LLM_FETCH_LIMIT. */
  llmFetchLimit?: number;
}

interface SyncState {
  db: Db;
  client: Client;
  n8n: N8nClient;
  rules: CompiledRules;
  workflows: WorkflowIndex;
  clock: PhaseClock;
  llm: LlmUsageCollector;
  counts: { pages: number; seen: number; inserted: number; updated: number; excluded: number };
}

/**
 * One incremental sync of one client: workflows, then executions newest-first until a
 * page holds only executions already stored and finished (and the re-check window is
 * covered), then the stored unfinished ones, then the LLM usage of AI workflows'
 * executions still unread (llm-usage.ts), then the touched rollup buckets, so they include
 * that usage. Recorded as a sync run; a failure is recorded and re-thrown.
 */
export function syncClient(db: Db, opts: SyncClientOptions) {
  return withClientLock(opts.clientId, () => syncClientNow(db, opts));
}

async function syncClientNow(db: Db, opts: SyncClientOptions) {
  // Read inside the lock: rules saved while this sync waited apply to it.
  const client = await getClientOrThrow(db, opts.clientId);
  return recordRun(db, { function: "sync-client", trigger: opts.trigger, clientId: client.id, runId: opts.runId }, async () => {
    const now = opts.now ?? new Date();
    const n8n = (opts.connect ?? defaultConnect)(client);
    const workflows: WorkflowIndex = new Map();
    const state: SyncState = {
      db,
      client,
      n8n,
      rules: compileRules(storedFilterRules(client.filterRules)),
      workflows,
      clock: new PhaseClock(),
      llm: new LlmUsageCollector({
        db,
        clientId: client.id,
        n8n,
        workflows,
        concurrency: opts.llmConcurrency,
        limit: opts.llmFetchLimit,
      }),
      counts: { pages: 0, seen: 0, inserted: 0, updated: 0, excluded: 0 },
    };
    const workflowsSeen = await syncWorkflows(state);
    const unfinished = await storedUnfinishedIds(db, client.id);
    const windowStart = new Date(now.getTime() - (opts.recheckWindowHours ?? env.RECHECK_WINDOW_HOURS) * 3600_000);
    const reachedEnd = await syncExecutionPages(state, { windowStart, unfinished });
    if (reachedEnd && !client.historyCompleteAt) {
      await db.update(clients).set({ historyCompleteAt: now }).where(eq(clients.id, client.id));
    }
    await recheckUnfinished(state, unfinished);
    await state.llm.collectPending();
    // After every usage row is stored, so the touched buckets include them.
    const rollup = await state.clock.time("rollup", () => refreshRollups(db, { clientId: client.id }));

    const { counts } = state;
    return {
      pages: counts.pages,
      workflowsSeen,
      executionsSeen: counts.seen,
      executionsNew: counts.inserted,
      executionsUpdated: counts.updated,
      executionsExcluded: counts.excluded,
      phaseMs: state.clock.toJSON(),
      details: { reachedEnd, recheckedUnfinished: unfinished.size, rollup, llm: state.llm.details() },
    };
  });
}

function defaultConnect(client: Client): N8nClient {
  return connectN8n(client);
}

async function syncWorkflows(state: SyncState): Promise<number> {
  const { db, client, clock } = state;
  const changed: number[] = [];
  let seen = 0;
  const pages = state.n8n.workflowPages();
  while (true) {
    const next = await clock.time("fetch", () => pages.next());
    if (next.done) break;
    seen += next.value.length;
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
  return seen;
}

async function storedUnfinishedIds(db: Db, clientId: number): Promise<Set<number>> {
  const rows = await db
    .select({ id: executions.n8nExecutionId })
    .from(executions)
    .where(and(eq(executions.clientId, clientId), inArray(executions.status, [...UNFINISHED_STATUSES])));
  return new Set(rows.map((r) => r.id));
}

/** Pages newest-first. Returns true when it paged to the end of what n8n still has. */
async function syncExecutionPages(
  state: SyncState,
  opts: { windowStart: Date; unfinished: Set<number> },
): Promise<boolean> {
  const { db, client, clock } = state;
  // Until one sync has paged to the end, known pages are not a stopping point (resume a backfill).
  let reachedKnown = false;
  const mayStopAtKnown = client.historyCompleteAt !== null;
  const pages = state.n8n.executionPages({ limit: 250 });
  let pending = pages.next();
  while (true) {
    const next = await clock.time("fetch", () => pending);
    if (next.done) return true;
    // Download the next page while this one is stored.
    pending = pages.next();
    pending.catch(() => {});

    const page = next.value.executions;
    state.counts.pages += 1;
    state.counts.seen += page.length;
    // Only asked once history is complete: a backfill never stops at known pages.
    const allKnownAndFinished = mayStopAtKnown && (await clock.time("store", () => isKnownAndFinished(db, client.id, page)));
    await storePage(state, page);
    for (const e of page) opts.unfinished.delete(Number(e.id));

    if (allKnownAndFinished && mayStopAtKnown) reachedKnown = true;
    const oldest = page.at(-1)?.startedAt ?? null;
    if (reachedKnown && (oldest === null || oldest < opts.windowStart)) {
      await pages.return(undefined);
      return false;
    }
  }
}

async function isKnownAndFinished(db: Db, clientId: number, page: N8nExecution[]): Promise<boolean> {
  if (page.length === 0 || page.some((e) => !isFinal(e.status))) return false;
  const ids = page.map((e) => Number(e.id));
  const [row] = await db
    .select({ finished: sql<number>`count(*)::int` })
    .from(executions)
    .where(
      and(
        eq(executions.clientId, clientId),
        inArray(executions.n8nExecutionId, ids),
        sql`${executions.status} not in ('running', 'waiting', 'new', 'unknown')`,
      ),
    );
  return row.finished === ids.length;
}

async function storePage(state: SyncState, page: N8nExecution[]) {
  const { db, client, clock } = state;
  await clock.time("store", () => ensureWorkflows(db, client.id, state.workflows, page.map((e) => e.workflowId)));
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
  const { inserted, updated } = await clock.time("store", () => upsertExecutions(db, rows));
  state.counts.inserted += inserted;
  state.counts.updated += updated;
}

/**
 * Stored executions that were unfinished and did not show up in this sync's pages are
 * read one by one. One that n8n no longer has (pruned) becomes `unknown`, so it is not
 * re-read forever, and counts as LLM-extracted: there is no run data left to read.
 */
async function recheckUnfinished(state: SyncState, ids: Set<number>) {
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
          rolledUpAt: null,
          llmExtractedAt: sql`coalesce(${executions.llmExtractedAt}, now())`,
        })
        .where(and(eq(executions.clientId, client.id), inArray(executions.n8nExecutionId, gone))),
    );
  }
}
