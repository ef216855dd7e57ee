/**
 * The rule editor's fields per kind, with units, ranges and defaults as lib/alerts/rules.ts
 * validates them (the API stays the judge: its 400 names the field).
 */
import type { AlertRuleKind } from "@/lib/core/vocabulary";

const DAY = 24 * 60;
const WEEK = 7 * DAY;

export interface NumberSpec {
  type: "number";
  name: string;
  label: string;
  /** Shown beside the label and read with it: "minutes", "%", "ms", "USD". */
  unit?: string;
  min: number;
  max: number;
  step?: number;
  default: number;
  hint?: string;
}
export interface SelectSpec {
  type: "select";
  name: string;
  label: string;
  options: ReadonlyArray<readonly [string, string]>;
  default: string;
  hint?: string;
}
export interface BooleanSpec {
  type: "boolean";
  name: string;
  label: string;
  default: boolean;
  hint?: string;
}
export interface MultiSpec {
  type: "multi";
  name: string;
  label: string;
  options: ReadonlyArray<readonly [string, string]>;
  default: readonly string[];
}
export type FieldSpec = NumberSpec | SelectSpec | BooleanSpec | MultiSpec;

const windowField = (def: number, max = WEEK, label = "Window"): NumberSpec => ({
  type: "number",
  name: "windowMinutes",
  label,
  unit: "minutes",
  min: 1,
  max,
  default: def,
  hint: `The trailing window, 1 to ${max.toLocaleString("en-US")} minutes (${max === WEEK ? "7 days" : "1 day"}).`,
});
const minRuns: NumberSpec = {
  type: "number",
  name: "minRuns",
  label: "Minimum runs",
  unit: "runs",
  min: 1,
  max: 1_000_000,
  default: 10,
  hint: "Finished runs the window needs before it is judged.",
};
const per: SelectSpec = {
  type: "select",
  name: "per",
  label: "Judge",
  options: [
    ["client", "The client's runs together"],
    ["workflow", "Each workflow apart"],
  ],
  default: "client",
};

export const KIND_FIELDS: Record<AlertRuleKind, { summary: string; fields: FieldSpec[] }> = {
  failure_rate: {
    summary: "Fires when the share of failed production runs in the window is above the threshold.",
    fields: [
      { type: "number", name: "thresholdPct", label: "Above", unit: "%", min: 0, max: 100, step: 0.1, default: 10 },
      windowField(60),
      minRuns,
      per,
    ],
  },
  failures: {
    summary: "Fires when at least this many production runs failed in the window.",
    fields: [
      { type: "number", name: "count", label: "At least", unit: "failures", min: 1, max: 1_000_000, default: 5 },
      windowField(60),
      per,
    ],
  },
  latency: {
    summary: "Fires when the chosen percentile of run durations in the window is above the threshold.",
    fields: [
      {
        type: "select",
        name: "percentile",
        label: "Percentile",
        options: [
          ["p50", "p50 (median)"],
          ["p95", "p95"],
          ["p99", "p99"],
        ],
        default: "p95",
      },
      {
        type: "number",
        name: "thresholdMs",
        label: "Above",
        unit: "ms",
        min: 1,
        max: 86_400_000,
        default: 60_000,
        hint: "In milliseconds: 60000 is one minute.",
      },
      windowField(60),
      minRuns,
      per,
    ],
  },
  silence: {
    summary: "Fires when no production run started for this long.",
    fields: [
      {
        type: "number",
        name: "minutes",
        label: "No runs for",
        unit: "minutes",
        min: 1,
        max: 30 * DAY,
        default: 120,
        hint: "Up to 43,200 minutes (30 days).",
      },
      per,
    ],
  },
  missed_schedule: {
    summary:
      "Fires when a workflow with a Schedule Trigger ran fewer times in the window than its trigger says it should have. Each workflow is judged apart.",
    fields: [
      windowField(DAY),
      {
        type: "number",
        name: "tolerance",
        label: "Missing runs allowed",
        unit: "runs",
        min: 0,
        max: 10_000,
        default: 0,
      },
    ],
  },
  stuck: {
    summary:
      "Fires for an execution running longer than the limit, or waiting past its resume time by more than the grace. Each workflow is judged apart.",
    fields: [
      {
        type: "number",
        name: "runningMinutes",
        label: "Running longer than",
        unit: "minutes",
        min: 1,
        max: 30 * DAY,
        default: 60,
      },
      {
        type: "number",
        name: "waitingGraceMinutes",
        label: "Waiting past its resume time by",
        unit: "minutes",
        min: 1,
        max: 30 * DAY,
        default: 30,
      },
    ],
  },
  stale_data: {
    summary: "Fires when the client's last successful sync is too old, or its syncs failed several times in a row.",
    fields: [
      {
        type: "number",
        name: "maxAgeMinutes",
        label: "Last successful sync older than",
        unit: "minutes",
        min: 1,
        max: 30 * DAY,
        default: 60,
      },
      {
        type: "number",
        name: "failedSyncs",
        label: "Failed syncs in a row",
        unit: "syncs",
        min: 1,
        max: 1000,
        default: 3,
      },
    ],
  },
  coverage: {
    summary: "Fires when executions n8n pruned or deleted before collection are found missing in the window.",
    fields: [
      windowField(DAY),
      {
        type: "number",
        name: "minMissing",
        label: "At least",
        unit: "missing executions",
        min: 1,
        max: 1_000_000,
        default: 1,
      },
    ],
  },
  llm_cost: {
    summary: "Fires when the client's LLM cost today or this month (on its clock) passes the budget.",
    fields: [
      {
        type: "number",
        name: "budgetUsd",
        label: "Budget",
        unit: "USD",
        min: 0.01,
        max: 1e9,
        step: 0.01,
        default: 100,
      },
      {
        type: "select",
        name: "period",
        label: "Period",
        options: [
          ["month", "This month"],
          ["day", "Today"],
        ],
        default: "month",
      },
      {
        type: "boolean",
        name: "forecast",
        label: "Also fire when the month's pace would pass the budget by month end",
        default: false,
        hint: "Monthly budgets only.",
      },
    ],
  },
  anomaly: {
    summary: "Fires when the patterns detector flags an anomalous hour in the window.",
    fields: [
      {
        type: "multi",
        name: "metrics",
        label: "Watch",
        options: [
          ["volume", "Run volume"],
          ["failure_rate", "Failure rate"],
        ],
        default: ["volume", "failure_rate"],
      },
      windowField(120, DAY),
    ],
  },
};
