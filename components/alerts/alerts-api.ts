/**
 * The alerts API as the pages use it: one queryOptions per read (server pages seed the
 * same keys, the client leaves read them) and one call for every change. Types only from
 * lib/alerts, so no server code reaches the browser bundle. Every key starts with
 * "alerts", so a change can refresh the list, the bell and the detail page at once.
 */
import { queryOptions } from "@tanstack/react-query";
import type { AlertsJobResult } from "@/lib/alerts/jobs";
import type { AlertView } from "@/lib/alerts/queries";
import type { AlertRuleView } from "@/lib/alerts/rule-store";
import type { AlertRuleInput } from "@/lib/alerts/rules";
import type { ChannelView, SavedChannel } from "@/lib/alerts/channels";
import type { BacktestResult } from "@/lib/alerts/backtest";
import type { DeliveryView } from "@/lib/alerts/delivery/deliveries";
import type { TestResult } from "@/lib/alerts/delivery/queue";
import type { AlertEventKind, AlertSeverity } from "@/lib/core/vocabulary";
import type { WorkflowsResponse } from "@/lib/metrics/types";
import { apiPath, errorText, fetchJson, sendJson, type ApiParams } from "@/lib/web/fetch-json";

export type {
  AlertView,
  AlertRuleView,
  AlertRuleInput,
  BacktestResult,
  ChannelView,
  DeliveryView,
  SavedChannel,
  TestResult,
};

export const ALERTS_API = "/api/v1/alerts";
const RULES_API = `${ALERTS_API}/rules`;
const CHANNELS_API = `${ALERTS_API}/channels`;
const SILENCES_API = `${ALERTS_API}/silences`;

/** How often the bell, the list and an alert's page refetch: the evaluator runs every minute. */
export const ALERTS_REFRESH_MS = 60_000;

/** The prefix of every alerts key: invalidating it refreshes every alerts view. */
export const ALERTS_KEY = ["alerts"] as const;

/** The alert list's views: what the state filter of the page means. */
export const ALERT_VIEWS = {
  open: { label: "Open", states: "firing,pending" },
  firing: { label: "Firing", states: "firing" },
  history: { label: "History (all states)", states: undefined },
} as const;
export type AlertViewName = keyof typeof ALERT_VIEWS;

export interface AlertFilters {
  view: AlertViewName;
  clientId?: number;
  severity?: AlertSeverity;
}

/** The list endpoint's query string for the page's filters (also the CSV's). */
export function alertListParams(f: AlertFilters): ApiParams {
  return { state: ALERT_VIEWS[f.view].states, clientId: f.clientId, severity: f.severity };
}

/** A client's firing alerts: its dashboard's panel. */
export const firingParams = (clientId: number): ApiParams => ({ state: "firing", clientId });

export const alertsListQuery = (params: ApiParams) =>
  queryOptions({
    queryKey: ["alerts", "list", params] as const,
    queryFn: ({ signal }) => fetchJson<{ alerts: AlertView[] }>(ALERTS_API, params, signal),
  });

/** The CSV of the listed alerts' history: one row per event. */
export const alertHistoryCsvHref = (params: ApiParams) =>
  apiPath(`${ALERTS_API}/history`, { ...params, format: "csv" });

export const alertCountQuery = () =>
  queryOptions({
    queryKey: ["alerts", "count"] as const,
    queryFn: ({ signal }) => fetchJson<{ firing: number }>(`${ALERTS_API}/count`, {}, signal),
  });

export interface AlertEvent {
  id: number;
  kind: AlertEventKind;
  at: string;
  value: number | null;
  message: string | null;
}

/** One alert as GET /api/v1/alerts/{id} answers it; `deliveries` is null for client users. */
export interface AlertDetail {
  alert: AlertView;
  details: Record<string, unknown>;
  events: AlertEvent[];
  deliveries: DeliveryView[] | null;
}

export const alertQuery = (id: number) =>
  queryOptions({
    queryKey: ["alerts", "alert", id] as const,
    queryFn: ({ signal }) => fetchJson<AlertDetail>(`${ALERTS_API}/${id}`, {}, signal),
  });

export const rulesQuery = () =>
  queryOptions({
    queryKey: ["alerts", "rules"] as const,
    queryFn: async ({ signal }) => (await fetchJson<{ rules: AlertRuleView[] }>(RULES_API, {}, signal)).rules,
  });

export const channelsQuery = () =>
  queryOptions({
    queryKey: ["alerts", "channels"] as const,
    queryFn: async ({ signal }) => (await fetchJson<{ channels: ChannelView[] }>(CHANNELS_API, {}, signal)).channels,
  });

/** A silence as the API lists it (lib/alerts/silences.ts listSilences). */
export interface SilenceView {
  id: number;
  clientId: number | null;
  ruleId: number | null;
  labels: Record<string, string>;
  startsAt: string;
  endsAt: string;
  comment: string;
  createdBy: string | null;
  createdAt: string;
  status: "active" | "pending" | "expired";
}

export const silencesQuery = () =>
  queryOptions({
    queryKey: ["alerts", "silences"] as const,
    queryFn: async ({ signal }) => (await fetchJson<{ silences: SilenceView[] }>(SILENCES_API, {}, signal)).silences,
  });

/** A client's live workflows (the metrics table lists them all, with or without runs). */
export const clientWorkflowsQuery = (clientId: number) =>
  queryOptions({
    queryKey: ["alerts", "workflows", clientId] as const,
    queryFn: async ({ signal }) =>
      (await fetchJson<WorkflowsResponse>("/api/v1/metrics/workflows", { clientId }, signal)).workflows
        .filter((w) => !w.archived)
        .map((w) => ({ id: w.workflowId, name: w.name }))
        .sort((a, b) => a.name.localeCompare(b.name)),
  });

const send = <T>(method: "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown) =>
  sendJson<T>(path, { method, body });

/** What the every-minute job does, now (admins). */
export const evaluateAlerts = () => send<AlertsJobResult>("POST", `${ALERTS_API}/evaluate`);

export const acknowledgeAlert = (id: number) => send<AlertDetail>("POST", `${ALERTS_API}/${id}/acknowledge`);

/** A rule as the editor sends it: every field given, units as the API takes them. */
export type RuleBody = AlertRuleInput;

export const createRule = (rule: RuleBody) => send<{ rule: AlertRuleView }>("POST", RULES_API, rule);
export const updateRule = (id: number, rule: RuleBody) =>
  send<{ rule: AlertRuleView }>("PUT", `${RULES_API}/${id}`, rule);
export const setRuleEnabled = (id: number, enabled: boolean) =>
  send<{ rule: AlertRuleView }>("PATCH", `${RULES_API}/${id}`, { enabled });
export const deleteRule = (id: number) => send<{ deleted: true }>("DELETE", `${RULES_API}/${id}`);
export const backtestRule = (rule: RuleBody, days: 7 | 30, signal?: AbortSignal) =>
  sendJson<BacktestResult>(`${RULES_API}/backtest`, { method: "POST", body: { rule, days }, signal });

export interface ChannelBody {
  name?: string;
  kind?: ChannelView["kind"];
  url?: string;
  signingSecret?: string;
  to?: string[];
  enabled?: boolean;
}

export const createChannel = (body: ChannelBody) => send<SavedChannel>("POST", CHANNELS_API, body);
export const updateChannel = (id: number, body: ChannelBody) =>
  send<SavedChannel>("PATCH", `${CHANNELS_API}/${id}`, body);
export const deleteChannel = (id: number) => send<{ deleted: true }>("DELETE", `${CHANNELS_API}/${id}`);
export const testChannel = (id: number) => send<TestResult>("POST", `${CHANNELS_API}/${id}/test`);

export interface SilenceBody {
  clientId: number | null;
  ruleId: number | null;
  labels: Record<string, string>;
  endsAt: string;
  comment: string;
}

export const createSilence = (body: SilenceBody) => send<{ silence: SilenceView }>("POST", SILENCES_API, body);
export const endSilence = (id: number) => send<{ silence: SilenceView }>("DELETE", `${SILENCES_API}/${id}`);

/** The field a server message names: the text before the first colon ("params.count: …"). */
export function fieldPathOf(error: unknown): string | null {
  const text = error ? errorText(error) : "";
  const match = /^([A-Za-z][\w.]*):/.exec(text);
  return match?.[1] ?? null;
}

export { errorText };
