import { z } from "zod";
import { SYSTEM_METRIC_TYPES, type SystemMetricType } from "@/lib/core/vocabulary";
import { env } from "@/lib/core/env";
import { DAY_MS, HOUR_MS } from "@/lib/core/time";

/** Points one batch request may carry. */
export const MAX_METRIC_BATCH = 1000;
export const MAX_LABELS = 20;

/** Names and label keys as Prometheus and Grafana can carry them (dots and dashes allowed). */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;
export const IDENTIFIER_MESSAGE = "must start with a letter or _ and hold only letters, digits, _ . : -";
/** A clock a little ahead is tolerated; a point from the far future is a mistake. */
const FUTURE_SLACK_MS = 24 * 3600_000;

const identifier = (what: string, max: number) =>
  z.string().trim().min(1, `must name the ${what}`).max(max).regex(IDENTIFIER, IDENTIFIER_MESSAGE);

/**
 * A point as the API takes it (POST /api/v1/system-metrics, one item of a batch). The
 * service defaults to "external": only Flowscope's own recorder writes "flowscope".
 */
export const SystemMetricInput = z
  .object({
    type: z.enum(SYSTEM_METRIC_TYPES),
    name: identifier("metric", 200),
    value: z.number().finite(),
    unit: z.string().trim().max(32).nullish(),
    service: identifier("service", 100).default("external"),
    labels: z
      .record(identifier("label", 100), z.string().max(200))
      .refine((l) => Object.keys(l).length <= MAX_LABELS, `must have at most ${MAX_LABELS} labels`)
      .default({}),
    timestamp: z.iso
      .datetime({ offset: true })
      .transform((s) => new Date(s))
      // Older points would be past raw retention: their hour may already be aggregated
      // and its raw points deleted, and re-aggregating it from a partial hour loses data.
      // An hour short of it, so an hour passing between this check and the insert cannot
      // land the point in an hour retention is deleting.
      .refine(
        (d) => d.getTime() >= Date.now() - env.RETENTION_SYSTEM_METRICS_DAYS * DAY_MS + HOUR_MS,
        `must be within the last ${env.RETENTION_SYSTEM_METRICS_DAYS} days (RETENTION_SYSTEM_METRICS_DAYS)`,
      )
      .refine((d) => d.getTime() <= Date.now() + FUTURE_SLACK_MS, "must not be more than a day ahead")
      .optional(),
  })
  .strict();
export type SystemMetricInput = z.infer<typeof SystemMetricInput>;

/** A point on its way to the table, from the API or from Flowscope's own recorder. */
export interface MetricPoint {
  type: SystemMetricType;
  name: string;
  value: number;
  unit?: string | null;
  service?: string;
  labels?: Record<string, string>;
  at?: Date;
}

/** A stored point as the API answers it. */
export interface SystemMetricView {
  id: number;
  type: SystemMetricType;
  name: string;
  value: number;
  unit: string | null;
  service: string;
  labels: Record<string, string>;
  timestamp: string;
}

export function fromInput(input: SystemMetricInput): MetricPoint {
  return {
    type: input.type,
    name: input.name,
    value: input.value,
    unit: input.unit ?? null,
    service: input.service,
    labels: input.labels,
    at: input.timestamp,
  };
}
