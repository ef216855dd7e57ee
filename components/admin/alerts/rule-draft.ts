/**
 * The rule editor's state and the API body made from it. Numbers stay text while they
 * are typed; the body converts them, and "for" and "repeat" from the minutes people type
 * to the seconds the API takes. Each kind keeps its own values, so trying another kind
 * and coming back loses nothing.
 */
import type { AlertRuleView, RuleBody } from "@/components/alerts/alerts-api";
import { ALERT_RULE_KINDS, type AlertRuleKind, type AlertSeverity } from "@/lib/core/vocabulary";
import { KIND_FIELDS } from "./rule-kinds";

export type ParamValue = string | boolean | string[];
export type ParamValues = Record<string, ParamValue>;

export interface RuleDraft {
  name: string;
  /** "" means every client. */
  clientId: string;
  /** "" means every workflow of the client. */
  workflowId: string;
  kind: AlertRuleKind;
  paramsByKind: Partial<Record<AlertRuleKind, ParamValues>>;
  severity: AlertSeverity;
  forMinutes: string;
  repeatMinutes: string;
  /** key=value, one a line. */
  labels: string;
  channelIds: number[];
  enabled: boolean;
}

export function defaultParams(kind: AlertRuleKind): ParamValues {
  return Object.fromEntries(
    KIND_FIELDS[kind].fields.map((f) => [
      f.name,
      f.type === "number" ? String(f.default) : f.type === "multi" ? [...f.default] : f.default,
    ]),
  );
}

export function paramsOf(draft: RuleDraft, kind: AlertRuleKind = draft.kind): ParamValues {
  return draft.paramsByKind[kind] ?? defaultParams(kind);
}

export const NEW_RULE: RuleDraft = {
  name: "",
  clientId: "",
  workflowId: "",
  kind: "failure_rate",
  paramsByKind: {},
  severity: "warning",
  forMinutes: "5",
  repeatMinutes: "240",
  labels: "",
  channelIds: [],
  enabled: true,
};

/** A stored rule as the editor holds it. */
export function draftOf(rule: AlertRuleView): RuleDraft {
  const { kind, ...params } = rule.params;
  const values: ParamValues = { ...defaultParams(kind) };
  for (const [key, value] of Object.entries(params)) {
    values[key] = typeof value === "number" ? String(value) : (value as ParamValue);
  }
  return {
    name: rule.name,
    clientId: rule.clientId === null ? "" : String(rule.clientId),
    workflowId: rule.workflowId === null ? "" : String(rule.workflowId),
    kind,
    paramsByKind: { [kind]: values },
    severity: rule.severity,
    forMinutes: String(rule.forSeconds / 60),
    repeatMinutes: String(rule.repeatSeconds / 60),
    labels: Object.entries(rule.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
    channelIds: rule.channelIds,
    enabled: rule.enabled,
  };
}

export type BodyResult = { ok: true; body: RuleBody } | { ok: false; field: string; message: string };

/** "team=ops" lines to an object; a line without "=" is refused, naming it. */
export function parseLabels(text: string): { labels: Record<string, string> } | { problem: string } {
  const labels: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? "";
    if (!line) continue;
    const at = line.indexOf("=");
    if (at <= 0) return { problem: `line ${i + 1} is not key=value` };
    labels[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { labels };
}

const toNumber = (text: string): number | undefined => (text.trim() === "" ? undefined : Number(text));

/**
 * The API body, or the first field that cannot even be sent. Empty numbers are left out,
 * so the API's default applies (or its 400 says the field is required).
 */
export function bodyOf(draft: RuleDraft): BodyResult {
  const params: Record<string, unknown> = { kind: draft.kind };
  const values = paramsOf(draft);
  for (const spec of KIND_FIELDS[draft.kind].fields) {
    const value = values[spec.name];
    if (spec.type === "number") {
      const n = toNumber(String(value ?? ""));
      if (n !== undefined && !Number.isFinite(n))
        return { ok: false, field: `params.${spec.name}`, message: `params.${spec.name}: must be a number` };
      if (n !== undefined) params[spec.name] = n;
    } else {
      params[spec.name] = value;
    }
  }
  const labels = parseLabels(draft.labels);
  if ("problem" in labels) return { ok: false, field: "labels", message: `labels: ${labels.problem}` };
  const minutes = (text: string) => {
    const n = toNumber(text) ?? 0;
    return Number.isFinite(n) ? Math.round(n * 60) : null;
  };
  const forSeconds = minutes(draft.forMinutes);
  if (forSeconds === null)
    return { ok: false, field: "forSeconds", message: "forSeconds: must be a number of minutes" };
  const repeatSeconds = minutes(draft.repeatMinutes);
  if (repeatSeconds === null)
    return { ok: false, field: "repeatSeconds", message: "repeatSeconds: must be a number of minutes" };
  const clientId = draft.clientId ? Number(draft.clientId) : null;
  return {
    ok: true,
    body: {
      name: draft.name,
      clientId,
      workflowId: clientId !== null && draft.workflowId ? Number(draft.workflowId) : null,
      params: params as RuleBody["params"],
      severity: draft.severity,
      forSeconds,
      repeatSeconds,
      labels: labels.labels,
      enabled: draft.enabled,
      channelIds: draft.channelIds,
    },
  };
}

export const isKind = (value: string): value is AlertRuleKind =>
  (ALERT_RULE_KINDS as readonly string[]).includes(value);
