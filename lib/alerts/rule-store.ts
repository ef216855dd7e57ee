/**
 * Alert rules as stored: created, changed, disabled and deleted through here only, each
 * write validated (AlertRuleInput) and checked against what it names (the client, the
 * workflow of that client, the channels).
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/lib/db/database";
import {
  alertChannels,
  alertRuleChannels,
  alertRules,
  alerts,
  clients,
  workflows,
  type AlertRule,
} from "@/lib/db/schema";
import { OPEN_ALERT_STATES } from "@/lib/core/vocabulary";
import { AppError } from "@/lib/core/errors";
import { AlertParams, type AlertRuleInput } from "./rules";
import { closeQuietly } from "./evaluate";

export interface AlertRuleView {
  id: number;
  name: string;
  kind: AlertRule["kind"];
  clientId: number | null;
  clientName: string | null;
  workflowId: number | null;
  workflowName: string | null;
  params: AlertParams;
  severity: AlertRule["severity"];
  forSeconds: number;
  repeatSeconds: number;
  labels: Record<string, string>;
  enabled: boolean;
  channelIds: number[];
  lastEvaluatedAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export function ruleNotFound(id: number): AppError {
  return new AppError("not_found", `Alert rule ${id} not found`);
}

/** What a rule names must exist: its client, its workflow (of that client), its channels. */
export async function checkRuleReferences(db: Db, input: AlertRuleInput): Promise<void> {
  if (input.clientId !== null) {
    const [c] = await db.select({ id: clients.id }).from(clients).where(eq(clients.id, input.clientId));
    if (!c) throw new AppError("bad_request", `clientId: client ${input.clientId} does not exist`);
  }
  if (input.workflowId !== null) {
    const [w] = await db
      .select({ id: workflows.id })
      .from(workflows)
      .where(and(eq(workflows.id, input.workflowId), eq(workflows.clientId, input.clientId!)));
    if (!w) throw new AppError("bad_request", `workflowId: workflow ${input.workflowId} is not one of the client's`);
  }
  const wanted = [...new Set(input.channelIds)];
  if (wanted.length > 0) {
    const found = await db
      .select({ id: alertChannels.id })
      .from(alertChannels)
      .where(inArray(alertChannels.id, wanted));
    const missing = wanted.filter((id) => !found.some((f) => f.id === id));
    if (missing.length > 0) throw new AppError("bad_request", `channelIds: channel ${missing[0]} does not exist`);
  }
}

function columnsOf(input: AlertRuleInput) {
  return {
    name: input.name,
    kind: input.params.kind,
    clientId: input.clientId,
    workflowId: input.workflowId,
    params: input.params as Record<string, unknown>,
    severity: input.severity,
    forSeconds: input.forSeconds,
    repeatSeconds: input.repeatSeconds,
    labels: input.labels,
    enabled: input.enabled,
  };
}

export async function createRule(db: Db, input: AlertRuleInput, createdBy: string | null): Promise<AlertRuleView> {
  await checkRuleReferences(db, input);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(alertRules)
      .values({ ...columnsOf(input), createdBy })
      .returning({ id: alertRules.id });
    await setChannels(tx, row!.id, input.channelIds);
    return row!.id;
  });
  return getRule(db, id);
}

/**
 * Replaces a rule (the editor sends it whole). Its open alerts stay open and are judged by
 * the new condition at the next evaluation; a changed kind or subject closes nothing by
 * itself either: subjects no longer watched resolve then.
 */
export async function updateRule(db: Db, id: number, input: AlertRuleInput): Promise<AlertRuleView> {
  await checkRuleReferences(db, input);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(alertRules)
      .set({ ...columnsOf(input), updatedAt: new Date() })
      .where(eq(alertRules.id, id))
      .returning({ id: alertRules.id });
    if (!row) throw ruleNotFound(id);
    await setChannels(tx, id, input.channelIds);
    if (!input.enabled) await closeOpenAlerts(tx, id, "The rule was disabled");
  });
  return getRule(db, id);
}

export async function setRuleEnabled(db: Db, id: number, enabled: boolean): Promise<AlertRuleView> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(alertRules)
      .set({ enabled, updatedAt: new Date() })
      .where(eq(alertRules.id, id))
      .returning({ id: alertRules.id });
    if (!row) throw ruleNotFound(id);
    if (!enabled) await closeOpenAlerts(tx, id, "The rule was disabled");
  });
  return getRule(db, id);
}

/**
 * Ends a rule's open alerts without notifying: nobody evaluates a disabled rule, and an
 * alert left firing would stay in the list and the bell for good.
 */
async function closeOpenAlerts(db: Db, ruleId: number, why: string, now = new Date()): Promise<void> {
  const open = await db
    .select({ id: alerts.id, state: alerts.state })
    .from(alerts)
    .where(and(eq(alerts.ruleId, ruleId), inArray(alerts.state, [...OPEN_ALERT_STATES])));
  for (const a of open) await closeQuietly(db, a, now, why);
}

/** Deletes a rule with its alerts and their history. */
export async function deleteRule(db: Db, id: number): Promise<void> {
  const [row] = await db.delete(alertRules).where(eq(alertRules.id, id)).returning({ id: alertRules.id });
  if (!row) throw ruleNotFound(id);
}

async function setChannels(db: Db, ruleId: number, channelIds: number[]): Promise<void> {
  await db.delete(alertRuleChannels).where(eq(alertRuleChannels.ruleId, ruleId));
  const ids = [...new Set(channelIds)];
  if (ids.length > 0) await db.insert(alertRuleChannels).values(ids.map((channelId) => ({ ruleId, channelId })));
}

export async function getRuleRow(db: Db, id: number): Promise<AlertRule> {
  const [row] = await db.select().from(alertRules).where(eq(alertRules.id, id));
  if (!row) throw ruleNotFound(id);
  return row;
}

export async function getRule(db: Db, id: number): Promise<AlertRuleView> {
  const [view] = await listRules(db, { id });
  if (!view) throw ruleNotFound(id);
  return view;
}

export async function listRules(db: Db, filter: { id?: number; clientId?: number } = {}): Promise<AlertRuleView[]> {
  const rows = await db
    .select({ rule: alertRules, clientName: clients.name, workflowName: workflows.name })
    .from(alertRules)
    .leftJoin(clients, eq(clients.id, alertRules.clientId))
    .leftJoin(workflows, eq(workflows.id, alertRules.workflowId))
    .where(
      and(
        filter.id === undefined ? undefined : eq(alertRules.id, filter.id),
        filter.clientId === undefined ? undefined : eq(alertRules.clientId, filter.clientId),
      ),
    )
    .orderBy(asc(alertRules.name), asc(alertRules.id));
  const links =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(alertRuleChannels)
          .where(
            inArray(
              alertRuleChannels.ruleId,
              rows.map((r) => r.rule.id),
            ),
          );
  return rows.map(({ rule, clientName, workflowName }) => ({
    id: rule.id,
    name: rule.name,
    kind: rule.kind,
    clientId: rule.clientId,
    clientName,
    workflowId: rule.workflowId,
    workflowName,
    params: AlertParams.parse(rule.params),
    severity: rule.severity,
    forSeconds: rule.forSeconds,
    repeatSeconds: rule.repeatSeconds,
    labels: rule.labels,
    enabled: rule.enabled,
    channelIds: links.filter((l) => l.ruleId === rule.id).map((l) => l.channelId),
    lastEvaluatedAt: rule.lastEvaluatedAt?.toISOString() ?? null,
    lastError: rule.lastError,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  }));
}
