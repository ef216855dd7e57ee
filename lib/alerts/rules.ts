/**
 * What an alert rule is: its kind's parameters, severity, "for", repeat, labels and
 * channels, validated here before every write (the API, the pages and the backtest all
 * parse through `AlertRuleInput`). Units are in the field names; the pages convert.
 */
import { z } from "zod";
import { ALERT_SEVERITIES } from "@/lib/core/vocabulary";
import { IsoDate } from "@/lib/metrics/range";

/** The largest id a row can have (int4): a larger one is a 400, never a failed query. */
export const MAX_ID = 2_147_483_647;
const Id = z.number().int().positive().max(MAX_ID);

/** An instant in a query or a body: ISO 8601 with a zone, between 1970 and 9999. */
export const AlertInstant = IsoDate.refine(
  (d) => d.getUTCFullYear() >= 1970 && d.getUTCFullYear() <= 9999,
  "must be between 1970 and 9999",
);

const minutes = (max: number, description: string) => z.number().int().min(1).max(max).meta({ description });
const DAY = 24 * 60;
const WEEK = 7 * DAY;

/** Which subjects a window or silence rule watches: the client as a whole, or each workflow apart. */
const Per = z
  .enum(["client", "workflow"])
  .default("client")
  .meta({ description: "`client`: the client's production runs together; `workflow`: each workflow apart." });

export const FailureRateParams = z
  .object({
    kind: z.literal("failure_rate"),
    thresholdPct: z.number().min(0).max(100).meta({ description: "Fires above this failure rate (%)." }),
    windowMinutes: minutes(WEEK, "The trailing window the rate is counted over."),
    minRuns: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(10)
      .meta({ description: "Finished runs the window needs before the rate is judged." }),
    per: Per,
  })
  .strict();

export const FailuresParams = z
  .object({
    kind: z.literal("failures"),
    count: z.number().int().min(1).max(1_000_000).meta({ description: "Fires at this many failures or more." }),
    windowMinutes: minutes(WEEK, "The trailing window failures are counted over."),
    per: Per,
  })
  .strict();

export const LatencyParams = z
  .object({
    kind: z.literal("latency"),
    percentile: z.enum(["p50", "p95", "p99"]).default("p95"),
    thresholdMs: z.number().int().min(1).max(86_400_000).meta({ description: "Fires above this duration (ms)." }),
    windowMinutes: minutes(WEEK, "The trailing window durations are taken over."),
    minRuns: z.number().int().min(1).max(1_000_000).default(10),
    per: Per,
  })
  .strict();

export const SilenceParams = z
  .object({
    kind: z.literal("silence"),
    minutes: minutes(30 * DAY, "Fires when no production run started for this long."),
    per: Per,
  })
  .strict();

export const MissedScheduleParams = z
  .object({
    kind: z.literal("missed_schedule"),
    windowMinutes: minutes(WEEK, "The trailing window runs are counted over."),
    tolerance: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(0)
      .meta({ description: "Missing runs allowed before it fires." }),
  })
  .strict();

export const StuckParams = z
  .object({
    kind: z.literal("stuck"),
    runningMinutes: minutes(30 * DAY, "Fires for an execution running longer than this."),
    waitingGraceMinutes: minutes(30 * DAY, "Fires for a waiting execution this long past its waitTill."),
  })
  .strict();

export const StaleDataParams = z
  .object({
    kind: z.literal("stale_data"),
    maxAgeMinutes: minutes(30 * DAY, "Fires when the last successful sync is older than this."),
    failedSyncs: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(3)
      .meta({ description: "Fires after this many failed syncs in a row." }),
  })
  .strict();

export const CoverageParams = z
  .object({
    kind: z.literal("coverage"),
    windowMinutes: minutes(WEEK, "Missing executions found within this trailing window count."),
    minMissing: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(1)
      .meta({ description: "Fires at this many newly missing executions or more." }),
  })
  .strict();

export const LlmCostParams = z
  .object({
    kind: z.literal("llm_cost"),
    budgetUsd: z.number().positive().max(1e9),
    period: z
      .enum(["day", "month"])
      .default("month")
      .meta({ description: "Today or this month, on the client's clock." }),
    forecast: z
      .boolean()
      .default(false)
      .meta({ description: "Month only: also fire when the month-to-date pace passes the budget by month end." }),
  })
  .strict();

export const AnomalyParams = z
  .object({
    kind: z.literal("anomaly"),
    metrics: z
      .array(z.enum(["volume", "failure_rate"]))
      .min(1)
      .default(["volume", "failure_rate"]),
    windowMinutes: minutes(DAY, "Anomalous hours within this trailing window count.").default(120),
  })
  .strict();

export const AlertParams = z.discriminatedUnion("kind", [
  FailureRateParams,
  FailuresParams,
  LatencyParams,
  SilenceParams,
  MissedScheduleParams,
  StuckParams,
  StaleDataParams,
  CoverageParams,
  LlmCostParams,
  AnomalyParams,
]);
export type AlertParams = z.infer<typeof AlertParams>;
export type ParamsOf<K extends AlertParams["kind"]> = Extract<AlertParams, { kind: K }>;

const LABEL_KEY = /^[a-zA-Z_][a-zA-Z0-9_.-]{0,62}$/;
export const Labels = z
  .record(
    z.string().regex(LABEL_KEY, "label names are letters, digits, _ . - (up to 63), not starting with a digit"),
    z.string().max(200),
  )
  .refine((l) => Object.keys(l).length <= 20, "at most 20 labels")
  .default({});

/** A rule as the API and the editor send it. */
export const AlertRuleInput = z
  .object({
    name: z.string().trim().min(1, "is required").max(200),
    /** Null or omitted: every client. */
    clientId: Id.nullable().default(null),
    /** A workflow of `clientId` (Flowscope's id): only it is watched. */
    workflowId: Id.nullable().default(null),
    params: AlertParams,
    severity: z.enum(ALERT_SEVERITIES).default("warning"),
    forSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400)
      .default(0),
    repeatSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(4 * 3600)
      .refine((s) => s === 0 || s >= 300, "must be 0 (no reminders) or at least 300"),
    labels: Labels,
    enabled: z.boolean().default(true),
    channelIds: z.array(Id).max(20).default([]),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.workflowId !== null && r.clientId === null)
      ctx.addIssue({ code: "custom", path: ["workflowId"], message: "needs a clientId (the workflow's client)" });
    if (r.params.kind === "llm_cost" && r.params.forecast && r.params.period !== "month")
      ctx.addIssue({ code: "custom", path: ["params", "forecast"], message: "is for a monthly budget only" });
  });
export type AlertRuleInput = z.infer<typeof AlertRuleInput>;

/** The kinds that judge each workflow apart whatever `per` says. */
export const PER_WORKFLOW_KINDS = new Set<AlertParams["kind"]>(["missed_schedule", "stuck"]);

/** Whether a rule's subjects are workflows (else its clients). */
export function perWorkflow(params: AlertParams): boolean {
  return PER_WORKFLOW_KINDS.has(params.kind) || ("per" in params && params.per === "workflow");
}
