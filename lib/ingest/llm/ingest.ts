import { createHash } from "node:crypto";
import { and, inArray } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import { clients, executions, workflows } from "@/lib/db/schema";
import { canAccess } from "@/lib/accounts/access";
import type { Viewer } from "@/lib/accounts/viewer";
import { tryParseInput } from "@/lib/core/validation";
import { costOf, usdToMicro } from "./cost";
import { clientNotFound } from "@/lib/accounts/access";
import { UsageEvent, type UsageBatchResult, type UsageIngestResult } from "./ingest-schema";
import { loadPriceOverrides, type PriceOverride } from "./pricing";
import { insertUsage, storedUsageCost, type UsageRow } from "./usage-store";
import { bumpDataVersions } from "@/lib/db/data-versions";

export interface IndexedEvent {
  index: number;
  event: UsageEvent;
}

export interface IngestError {
  index: number;
  message: string;
}

/** Validates raw items one by one, so a bad item is reported and the others still count. */
export function parseUsageEvents(items: readonly unknown[]): { valid: IndexedEvent[]; errors: IngestError[] } {
  const valid: IndexedEvent[] = [];
  const errors: IngestError[] = [];
  items.forEach((item, index) => {
    const parsed = tryParseInput(UsageEvent, item, "event");
    if (parsed.ok) valid.push({ index, event: parsed.data });
    else errors.push({ index, message: parsed.message });
  });
  return { valid, errors };
}

/**
 * Stored keys are namespaced, so a caller's key can never collide with the keys of usage
 * extracted from n8n ("n8n:..."). Without a key, the event's content is the key: a
 * retry of the same event is counted once (two distinct calls identical to the
 * millisecond would be too; callers who can tell them apart send a key).
 */
export function ingestIdempotencyKey(event: UsageEvent): string {
  if (event.idempotencyKey) return `ingest:${event.idempotencyKey}`;
  const content = JSON.stringify([
    event.clientId,
    event.workflowId,
    event.executionId,
    event.model,
    event.provider,
    event.promptTokens,
    event.completionTokens,
    event.totalTokens ?? null,
    event.reason,
    event.timestamp.toISOString(),
    event.costUsd,
  ]);
  return `ingest:sha256:${createHash("sha256").update(content).digest("hex").slice(0, 40)}`;
}

/** Our workflow row of each event: by n8n workflow id, else by the execution it names. */
async function workflowsOf(db: Db, events: readonly UsageEvent[]): Promise<(number | null)[]> {
  const clientIds = [...new Set(events.map((e) => e.clientId))];
  const workflowIds = [...new Set(events.flatMap((e) => (e.workflowId ? [e.workflowId] : [])))];
  const executionIds = [...new Set(events.flatMap((e) => (e.executionId !== null ? [e.executionId] : [])))];
  const [byWorkflow, byExecution] = await Promise.all([
    workflowIds.length === 0
      ? []
      : db
          .select({ id: workflows.id, clientId: workflows.clientId, n8nId: workflows.n8nWorkflowId })
          .from(workflows)
          .where(and(inArray(workflows.clientId, clientIds), inArray(workflows.n8nWorkflowId, workflowIds))),
    executionIds.length === 0
      ? []
      : db
          .select({
            workflowId: executions.workflowId,
            clientId: executions.clientId,
            n8nId: executions.n8nExecutionId,
          })
          .from(executions)
          .where(and(inArray(executions.clientId, clientIds), inArray(executions.n8nExecutionId, executionIds))),
  ]);
  const workflowRow = new Map(byWorkflow.map((w) => [`${w.clientId}/${w.n8nId}`, w.id]));
  const executionRow = new Map(byExecution.map((e) => [`${e.clientId}/${e.n8nId}`, e.workflowId]));
  return events.map(
    (e) =>
      (e.workflowId ? workflowRow.get(`${e.clientId}/${e.workflowId}`) : undefined) ??
      (e.executionId !== null ? executionRow.get(`${e.clientId}/${e.executionId}`) : undefined) ??
      null,
  );
}

function toRow(event: UsageEvent, workflowId: number | null, overrides: readonly PriceOverride[]): UsageRow {
  const call = {
    provider: event.provider,
    model: event.model,
    promptTokens: event.promptTokens,
    completionTokens: event.completionTokens,
    at: event.timestamp,
  };
  return {
    clientId: event.clientId,
    workflowId,
    n8nExecutionId: event.executionId,
    nodeName: null,
    provider: event.provider,
    model: event.model,
    promptTokens: event.promptTokens,
    completionTokens: event.completionTokens,
    totalTokens: event.totalTokens ?? event.promptTokens + event.completionTokens,
    isEstimate: false,
    ...costOf(call, overrides, event.costUsd === null ? null : usdToMicro(event.costUsd)),
    reason: event.reason,
    source: "ingest",
    idempotencyKey: ingestIdempotencyKey(event),
    occurredAt: event.timestamp,
  };
}

/**
 * Stores validated usage events for the viewer: each event's client must exist and be
 * within the viewer's scope (a client token only for its own client), else the event is
 * rejected as "clientId: not found", the same answer for both so other clients' ids do
 * not leak. Accepted events are priced at their time unless they carry a cost, and are
 * stored in one statement: all of them or, on a database failure, none.
 */
export async function storeUsageEvents(
  db: Db,
  opts: { viewer: Viewer; events: readonly IndexedEvent[] },
): Promise<{ accepted: number; duplicates: number; errors: IngestError[]; rows: UsageRow[] }> {
  const clientIds = [...new Set(opts.events.map((e) => e.event.clientId))];
  const known =
    clientIds.length === 0
      ? new Set<number>()
      : new Set(
          (await db.select({ id: clients.id }).from(clients).where(inArray(clients.id, clientIds))).map((c) => c.id),
        );
  const errors: IngestError[] = [];
  const allowed = opts.events.filter(({ index, event }) => {
    if (known.has(event.clientId) && canAccess(opts.viewer, "ingest", event.clientId)) return true;
    errors.push({ index, message: "clientId: not found" });
    return false;
  });
  if (allowed.length === 0) return { accepted: 0, duplicates: 0, errors, rows: [] };

  const events = allowed.map((a) => a.event);
  const needPrices = events.some((e) => e.costUsd === null);
  const [workflowIds, overrides] = await Promise.all([
    workflowsOf(db, events),
    needPrices ? loadPriceOverrides(db) : [],
  ]);
  const rows = events.map((event, i) => toRow(event, workflowIds[i], overrides));
  const { inserted, duplicates } = await insertUsage(db, rows);
  // Cached answers count usage at their ranges' raw edges: they must see it now.
  if (inserted > 0)
    await bumpDataVersions(
      db,
      rows.map((r) => r.clientId),
    );
  return { accepted: inserted, duplicates, errors, rows };
}

/** POST /api/v1/usage/batch: validate each item, store the valid ones, report the rest. */
export async function ingestUsageBatch(
  db: Db,
  opts: { viewer: Viewer; items: readonly unknown[] },
): Promise<UsageBatchResult> {
  const parsed = parseUsageEvents(opts.items);
  const stored = await storeUsageEvents(db, { viewer: opts.viewer, events: parsed.valid });
  const errors = [...parsed.errors, ...stored.errors].sort((a, b) => a.index - b.index);
  return { accepted: stored.accepted, duplicates: stored.duplicates, rejected: errors.length, errors };
}

/**
 * POST /api/v1/usage: one event. A duplicate (same idempotency key) is answered with the
 * stored row's cost: the payload that lost may differ from the one that counts.
 */
export async function ingestUsageEvent(
  db: Db,
  opts: { viewer: Viewer; event: UsageEvent },
): Promise<UsageIngestResult> {
  const stored = await storeUsageEvents(db, { viewer: opts.viewer, events: [{ index: 0, event: opts.event }] });
  if (stored.errors.length > 0) throw clientNotFound(opts.event.clientId);
  const [row] = stored.rows;
  const costMicroUsd =
    stored.duplicates > 0 ? await storedUsageCost(db, row.clientId, row.idempotencyKey) : row.costMicroUsd;
  return {
    accepted: stored.accepted,
    duplicates: stored.duplicates,
    idempotencyKey: row.idempotencyKey.replace(/^ingest:/, ""),
    costUsd: costMicroUsd === null ? null : costMicroUsd / 1_000_000,
  };
}
