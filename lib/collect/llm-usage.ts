import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { executions, syncRuns } from "@/lib/db/schema";
import { isAiWorkflow } from "@/lib/llm/extract";
import { usageRowsOfExecution } from "@/lib/llm/execution-usage";
import { loadPriceOverrides, type PriceOverride } from "@/lib/llm/pricing";
import { insertUsage, type UsageRow } from "@/lib/llm/usage-store";
import type { N8nClient, N8nExecution, N8nNode, N8nWorkflow } from "@/lib/n8n";
import { isFinal } from "./executions";
import { forEachPooled } from "./pool";
import type { WorkflowIndex } from "./workflows";

/**
 * Executions fetched with run data at once. Each is one request of a few to a few hundred
 * KB; four keep a sync's wall time low without loading a client's n8n like a burst would.
 */
export const LLM_FETCH_CONCURRENCY = 4;
/** Failed fetches remembered for the next sync; beyond this n8n is down and pages fail too. */
const MAX_RETRY_IDS = 1000;
const MAX_WARNING_SAMPLES = 10;

/** What a sync run records about LLM usage (sync_runs.details.llm). */
export interface LlmCollectDetails {
  executionsFetched: number;
  calls: number;
  inserted: number;
  duplicates: number;
  /** Run data that looked like usage but could not be read (see extractLlmUsage). */
  warnings: number;
  /** The first few warning and fetch-failure messages. */
  warningSamples: string[];
  /** getExecution failed (after the client's retries); retried by the next sync. */
  fetchFailures: number;
  /** n8n no longer had the execution when its data was asked for. */
  gone: number;
  retryIds: number[];
  ms: number;
}

/**
 * LLM usage of one client's sync. Only executions of workflows with chat-model nodes are
 * fetched with their run data, one request each, when they are new or have just finished
 * (so a waiting execution is read again once it resumes; idempotency keys keep that from
 * double counting). Run data is keyed by node name and types live in the workflow, so the
 * nodes of this sync's workflow pages are kept in memory (the table stores types only).
 * A failing fetch never fails the sync: it is counted and retried by the next one.
 */
export class LlmUsageCollector {
  private readonly nodes = new Map<string, readonly N8nNode[]>();
  private overrides: Promise<PriceOverride[]> | null = null;
  private readonly fetched = new Set<number>();
  private readonly retry = new Set<number>();
  private readonly stats = { executionsFetched: 0, calls: 0, inserted: 0, duplicates: 0, warnings: 0, fetchFailures: 0, gone: 0, ms: 0 };
  private readonly warningSamples: string[] = [];

  constructor(
    private readonly ctx: { db: Db; clientId: number; n8n: N8nClient; workflows: WorkflowIndex; concurrency?: number },
  ) {}

  /** Remembers the nodes of AI workflows from a page of the workflow list. */
  noteWorkflows(page: readonly N8nWorkflow[]): void {
    for (const w of page) {
      if (isAiWorkflow(w.nodes.map((n) => n.type))) this.nodes.set(w.id, w.nodes);
    }
  }

  get hasAiWorkflows(): boolean {
    return this.nodes.size > 0;
  }

  /**
   * Reads the usage of a page's AI executions that are new or newly finished. Must run
   * before the page is stored: "new" and "newly finished" are judged against what is
   * stored. Usage is stored first, so if this fails the executions are not stored either
   * and the next sync sees them as new again.
   */
  async collectPage(page: readonly N8nExecution[]): Promise<void> {
    const ai = page.filter((e) => this.nodes.has(e.workflowId));
    if (ai.length === 0) return;
    await this.timed(async () => {
      const stored = await this.ctx.db
        .select({ id: executions.n8nExecutionId, status: executions.status })
        .from(executions)
        .where(and(eq(executions.clientId, this.ctx.clientId), inArray(executions.n8nExecutionId, ai.map((e) => Number(e.id)))));
      const before = new Map(stored.map((r) => [r.id, r.status]));
      const due = ai.filter((e) => {
        const status = before.get(Number(e.id));
        return status === undefined || (!isFinal(status) && isFinal(e.status));
      });
      await this.fetchAndStore(due.map((e) => Number(e.id)));
    });
  }

  /** Fetches executions whose data failed to arrive in an earlier sync (see `retryIds`). */
  async collectRetries(ids: readonly number[]): Promise<void> {
    const pending = ids.filter((id) => !this.fetched.has(id));
    if (pending.length > 0) await this.timed(() => this.fetchAndStore(pending));
  }

  details(): LlmCollectDetails {
    return {
      ...this.stats,
      ms: Math.round(this.stats.ms),
      warningSamples: this.warningSamples,
      retryIds: [...this.retry].slice(0, MAX_RETRY_IDS),
    };
  }

  private async fetchAndStore(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const overrides = await (this.overrides ??= loadPriceOverrides(this.ctx.db));
    const rows: UsageRow[] = [];
    await forEachPooled(ids, this.ctx.concurrency ?? LLM_FETCH_CONCURRENCY, async (id) => {
      this.fetched.add(id);
      let execution: N8nExecution | null;
      try {
        execution = await this.ctx.n8n.getExecution(String(id), { includeData: true });
      } catch (err) {
        this.stats.fetchFailures += 1;
        this.retry.add(id);
        this.sample(`execution ${id}: run data not fetched (${err instanceof Error ? err.message : String(err)})`);
        return;
      }
      this.retry.delete(id);
      if (!execution) {
        this.stats.gone += 1;
        return;
      }
      const nodes = this.nodes.get(execution.workflowId);
      if (!nodes) return; // a retried id whose workflow no longer has chat models
      this.stats.executionsFetched += 1;
      const found = usageRowsOfExecution(execution, {
        clientId: this.ctx.clientId,
        workflowId: this.ctx.workflows.get(execution.workflowId)?.id ?? null,
        nodes,
        overrides,
      });
      rows.push(...found.rows);
      this.stats.calls += found.rows.length;
      this.stats.warnings += found.warnings.length;
      for (const warning of found.warnings) this.sample(warning);
    });
    const { inserted, duplicates } = await insertUsage(this.ctx.db, rows);
    this.stats.inserted += inserted;
    this.stats.duplicates += duplicates;
  }

  /** A few messages kept in the run's details, to tell an operator what went wrong. */
  private sample(message: string): void {
    if (this.warningSamples.length < MAX_WARNING_SAMPLES) this.warningSamples.push(message.slice(0, 300));
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

/** Ids whose run data the client's last successful sync failed to fetch. */
export async function pendingRetryIds(db: Db, clientId: number): Promise<number[]> {
  const [last] = await db
    .select({ details: syncRuns.details })
    .from(syncRuns)
    .where(and(eq(syncRuns.clientId, clientId), eq(syncRuns.function, "sync-client"), eq(syncRuns.status, "success")))
    .orderBy(desc(syncRuns.startedAt), desc(syncRuns.id))
    .limit(1);
  const ids = (last?.details as { llm?: { retryIds?: unknown } } | null | undefined)?.llm?.retryIds;
  return Array.isArray(ids) ? ids.filter((id): id is number => Number.isSafeInteger(id) && id >= 0) : [];
}
