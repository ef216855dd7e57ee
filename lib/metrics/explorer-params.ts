/**
 * Query string of GET /api/v1/metrics/executions (the executions explorer): filters that
 * the page keeps in its URL, and the keyset cursor. Every message reads as a sentence
 * after "<param>: " (describeIssue).
 */
import { z } from "zod";
import { EXECUTION_MODES, EXECUTION_STATUSES, type ExecutionStatus } from "@/lib/core/vocabulary";
import { ClientIdParam, idParam, intParam } from "./params";
import { IsoDate, TIMEFRAMES } from "./range";

/** Rows of one CSV export: the filtered list from the cursor on, up to this many. */
export const EXPORT_LIMIT = 10_000;

/** Production runs, excluded ones, or both. */
export const EXECUTION_CLASSES = ["all", "production", "excluded"] as const;
export type ExecutionClass = (typeof EXECUTION_CLASSES)[number];

/** A comma list of values from `allowed`, each once; "" or absent means any. */
function listParam<T extends string>(allowed: readonly T[], description: string) {
  const message = `must be a comma-separated list of ${allowed.join(", ")}`;
  return z
    .string()
    .transform((s) => [...new Set(s.split(",").map((v) => v.trim()))].filter((v) => v !== ""))
    .refine((values) => values.every((v) => (allowed as readonly string[]).includes(v)), { message })
    .transform((values) => values as T[])
    .meta({ description: `${description} Comma-separated: ${allowed.join(", ")}.` });
}

export const ExecutionsParams = z.object({
  clientId: ClientIdParam,
  status: listParam<ExecutionStatus>(EXECUTION_STATUSES, "Only these statuses.").optional(),
  workflowId: idParam("Only this workflow's executions (Flowscope's workflow id).").optional(),
  mode: listParam(EXECUTION_MODES, "Only these modes.").optional(),
  class: z
    .enum(EXECUTION_CLASSES, { message: `must be one of ${EXECUTION_CLASSES.join(", ")}` })
    .default("all")
    .meta({ description: "Production executions, excluded ones, or both (default)." }),
  reason: z
    .string()
    .trim()
    .min(1, { message: "must not be empty" })
    .max(200, { message: "must be at most 200 characters" })
    .optional()
    .meta({
      description:
        "Only executions excluded for this reason: a whole reason (tag:test) or its kind (manual, tag, pattern, test-name).",
    }),
  error: z
    .string()
    .min(1, { message: "must not be empty" })
    // 500 characters as PostgreSQL counts them can be up to 1,000 UTF-16 units.
    .max(1000, { message: "must be at most 500 characters" })
    .optional()
    .meta({
      description: "Only failures with this message (its first 500 characters, as metrics/errors groups them).",
    }),
  node: z
    .string()
    .trim()
    .min(1, { message: "must not be empty" })
    .max(200, { message: "must be at most 200 characters" })
    .optional()
    .meta({ description: "Only failures at this node (as n8n names it in the error)." }),
  hour: z
    .string()
    .regex(/^(1?\d|2[0-3])$/, { message: "must be an hour of the day, 0 to 23" })
    .transform(Number)
    .optional()
    .meta({
      type: "integer",
      description:
        "Only executions started in this hour of the day (0-23) on the client's clock (its time zone), as failures by hour of day count them: a UTC hour at the local hour it starts in.",
    }),
  timeframe: z
    .enum(TIMEFRAMES, { message: `must be one of ${TIMEFRAMES.join(", ")}` })
    .optional()
    .meta({ description: "Started within this long before now; or give start and/or end." }),
  start: IsoDate.optional().meta({ description: "Started at or after (ISO 8601 with a zone)." }),
  end: IsoDate.optional().meta({ description: "Started before (ISO 8601 with a zone)." }),
  minDurationMs: intParam({
    min: 0,
    max: 2_000_000_000,
    default: 0,
    description: "Only executions that took at least this long (ms); 0 for any.",
  }),
  executionId: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, { message: "must be an n8n execution id (digits)" })
    .transform(Number)
    .optional()
    .meta({ type: "integer", description: "This n8n execution only." }),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, { message: "must be the nextCursor of a previous page" })
    .transform(Number)
    .optional()
    .meta({ description: "nextCursor of the previous page: the next, older page." }),
  limit: intParam({ min: 1, max: 200, default: 50, description: "Executions per page." }),
});
export type ExecutionsParams = z.infer<typeof ExecutionsParams>;
