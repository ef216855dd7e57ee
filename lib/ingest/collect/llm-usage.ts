import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { executions } from "@/lib/db/schema";
import { FAILED_STATUSES, FINAL_STATUSES } from "@/lib/core/vocabulary";
import { extractErrorDetails, type ErrorDetails } from "@/lib/ingest/errors/extract";
import { isAiWorkflow } from "@/lib/ingest/llm/extract";
import { usageRowsOfExecution } from "@/lib/ingest/llm/execution-usage";
import { loadPriceOverrides, type PriceOverride } from "@/lib/ingest/llm/pricing";
import { insertUsage, type UsageRow } from "@/lib/ingest/llm/usage-store";
import type { N8nClient, N8nExecution, N8nNode, N8nWorkflow } from "@/lib/n8n";
import { forEachPooled } from "@/lib/core/pool";
import { storeErrorDetails } from "./error-details";
import { RUN_DATA_CONCURRENCY, RUN_DATA_PAGE, RunDataFetcher } from "./run-data-fetch";
import type { WorkflowIndex } from "./workflows";

/**
 * Executions read with run data per sync at most, so the backfill after an upgrade (every
 * stored AI execution) spreads over several syncs instead of making one sync hours long.
 */
export const LLM_FETCH_LIMIT = 5000;
/**
 * Statuses whose run data is read. A waiting execution's holds the calls made before the
 * wait; it is read again once it finishes (the upsert unmarks it then), and idempotency
 * keys keep the calls read twice from counting twice. Running ones are read once they stop.
 */
const EXTRACTABLE_STATUSES = [...FINAL_STATUSES, "waiting"] as const;

/** What a sync run records about LLM usage (sync_runs.details.llm). */
export interface LlmCollectDetails {
  /** Executions whose run data arrived (not counting `gone` ones). */
  executionsFetched: number;
  calls: number;
  inserted: number;
  duplicates: number;
  /** Run data that looked like usage but could not be read (see extractLlmUsage). */
  warnings: number;
  /** The first few warning and fetch-failure messages. */
  warningSamples: string[];
  /** getExecution failed (after the client's retries); left unmarked, retried by the next sync. */
  fetchFailures: number;
  /** n8n no longer had the execution (pruned); marked as read, with no usage. */
  gone: number;
  /** Executions still to read after this sync: failures and what the per-sync limit left. */
  pending: number;
  ms: number;
}

/** An execution whose usage is still to be read, with the nodes of its workflow. */
interface PendingExecution {
  id: number;
  workflowId: number;
  nodes: readonly N8nNode[];
}

/**
 * LLM usage of one client's sync. Executions of workflows with chat-model nodes are stored
 * unmarked (executions.llm_extracted_at null, see upsertExecutions) and read here after
 * the execution pages, one request each, up to LLM_FETCH_LIMIT per sync; each is marked
 * in the transaction that stores its usage. The marker is what makes this durable: a
 * failed fetch or a sync that fails later leaves the execution for the next sync.
 * Run data is keyed by node name and types live in the workflow, so the nodes of this
 * sync's workflow pages are kept in memory (the table stores types only).
 */
export class LlmUsageCollector {
  /** Nodes of AI workflows, by n8n workflow id. */
  private readonly nodes = new Map<string, readonly N8nNode[]>();
  private overrides: Promise<PriceOverride[]> | null = null;
  private readonly stats = { calls: 0, inserted: 0, duplicates: 0, warnings: 0, pending: 0, ms: 0 };
  private readonly fetcher: RunDataFetcher;

  constructor(
    private readonly ctx: {
      db: Db;
      clientId: number;
      n8n: N8nClient;
      workflows: WorkflowIndex;
      concurrency?: number;
      limit?: number;
    },
  ) {
    this.fetcher = new RunDataFetcher(ctx.n8n);
  }

  /** Remembers the nodes of AI workflows from a page of the workflow list. */
  noteWorkflows(page: readonly N8nWorkflow[]): void {
    for (const w of page) {
      if (isAiWorkflow(w.nodes.map((n) => n.type))) this.nodes.set(w.id, w.nodes);
    }
  }

  get hasAiWorkflows(): boolean {
    return this.nodes.size > 0;
  }

  /** Whether executions of this (n8n) workflow are stored unmarked, for their usage to be read. */
  needsUsage(n8nWorkflowId: string): boolean {
    return this.nodes.has(n8nWorkflowId);
  }

  /**
   * Reads the usage of the client's unmarked executions, newest first (recent usage shows
   * first during a backfill). Runs after the execution pages are stored, so it sees them.
   */
  async collectPending(): Promise<void> {
    const byWorkflow = this.nodesByStoredWorkflow();
    if (byWorkflow.size === 0) return;
    await this.timed(async () => {
      const due = await pendingExecutions(
        this.ctx.db,
        this.ctx.clientId,
        byWorkflow,
        this.ctx.limit ?? LLM_FETCH_LIMIT,
      );
      for (let i = 0; i < due.length && !this.fetcher.outage; i += RUN_DATA_PAGE)
        await this.fetchAndStore(due.slice(i, i + RUN_DATA_PAGE));
      this.stats.pending = await countPending(this.ctx.db, this.ctx.clientId, [...byWorkflow.keys()]);
    });
    if (this.fetcher.outage) throw this.fetcher.stoppedError("run data was read", this.stats.pending);
  }

  details(): LlmCollectDetails {
    const { fetched, gone, failures, samples } = this.fetcher;
    return {
      ...this.stats,
      executionsFetched: fetched,
      gone,
      fetchFailures: failures,
      ms: Math.round(this.stats.ms),
      warningSamples: samples,
    };
  }

  /** Stored workflow id → nodes; the workflow index knows every workflow of the list. */
  private nodesByStoredWorkflow(): Map<number, readonly N8nNode[]> {
    const result = new Map<number, readonly N8nNode[]>();
    for (const [n8nId, nodes] of this.nodes) {
      const stored = this.ctx.workflows.get(n8nId);
      if (stored) result.set(stored.id, nodes);
    }
    return result;
  }

  /** One page: fetch with the pool, then store the usage and mark what was read, together. */
  private async fetchAndStore(page: readonly PendingExecution[]): Promise<void> {
    const overrides = await (this.overrides ??= loadPriceOverrides(this.ctx.db));
    const rows: UsageRow[] = [];
    const read: number[] = [];
    // A failed one's error is in the same run data: stored now, so it is not fetched again.
    const errors: Array<{ id: number } & ErrorDetails> = [];
    await forEachPooled(page, this.ctx.concurrency ?? RUN_DATA_CONCURRENCY, async (pending) => {
      // Once n8n stopped answering, the rest of the page drains without a request.
      if (this.fetcher.outage) return;
      const execution = await this.fetcher.fetch(pending.id);
      if (execution === undefined) return; // failed: stays unmarked
      read.push(pending.id);
      if (execution === null) return;
      rows.push(...this.usageOf(execution, pending, overrides));
      if ((FAILED_STATUSES as readonly string[]).includes(execution.status))
        errors.push({ id: pending.id, ...extractErrorDetails(execution.data) });
    });
    const { inserted, duplicates } = await storeAndMark(this.ctx.db, this.ctx.clientId, rows, read, errors);
    this.stats.inserted += inserted;
    this.stats.duplicates += duplicates;
  }

  private usageOf(execution: N8nExecution, pending: PendingExecution, overrides: PriceOverride[]): UsageRow[] {
    const found = usageRowsOfExecution(execution, {
      clientId: this.ctx.clientId,
      workflowId: pending.workflowId,
      nodes: pending.nodes,
      overrides,
    });
    this.stats.calls += found.rows.length;
    this.stats.warnings += found.warnings.length;
    for (const warning of found.warnings) this.fetcher.sample(warning);
    return found.rows;
  }

  private async timed(work: () => Promise<void>): Promise<void> {
    const started = performance.now();
    try {
      await work();
    } finally {
      this.stats.ms += performance.now() - started;
    }
  }
}

/** Unmarked executions of AI workflows with readable run data, newest first. */
const pendingWhere = (clientId: number, workflowIds: number[]) =>
  and(
    eq(executions.clientId, clientId),
    inArray(executions.workflowId, workflowIds),
    sql`${executions.llmExtractedAt} is null`,
    inArray(executions.status, [...EXTRACTABLE_STATUSES]),
  );

async function pendingExecutions(
  db: Db,
  clientId: number,
  nodesByWorkflow: Map<number, readonly N8nNode[]>,
  limit: number,
): Promise<PendingExecution[]> {
  const rows = await db
    .select({ id: executions.n8nExecutionId, workflowId: executions.workflowId })
    .from(executions)
    .where(pendingWhere(clientId, [...nodesByWorkflow.keys()]))
    .orderBy(desc(executions.n8nExecutionId))
    .limit(limit);
  return rows.map((r) => ({ ...r, nodes: nodesByWorkflow.get(r.workflowId) ?? [] }));
}

async function countPending(db: Db, clientId: number, workflowIds: number[]): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(executions)
    .where(pendingWhere(clientId, workflowIds));
  return Number(row.n);
}

/**
 * Stores a page's usage and marks its read executions in one transaction: a crash in
 * between would otherwise leave usage stored for executions read again (harmless, keys
 * dedupe) or, worse, executions marked with their usage lost.
 */
async function storeAndMark(
  db: Db,
  clientId: number,
  rows: UsageRow[],
  read: number[],
  errors: Array<{ id: number } & ErrorDetails>,
): Promise<{ inserted: number; duplicates: number }> {
  if (read.length === 0) return { inserted: 0, duplicates: 0 };
  return db.transaction(async (tx) => {
    const result = await insertUsage(tx as unknown as Db, rows);
    await storeErrorDetails(tx as unknown as Db, clientId, errors);
    await tx
      .update(executions)
      .set({ llmExtractedAt: sql`now()` })
      .where(and(eq(executions.clientId, clientId), inArray(executions.n8nExecutionId, read)));
    return result;
  });
}
