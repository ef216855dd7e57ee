/**
 * The bodies and answers of POST /api/v1/usage and /api/v1/usage/batch. Messages read
 * as "<field>: <message>" once `describeIssue` prefixes the field.
 */
import { DAY_MS } from "@/lib/core/time";
import { z } from "zod";
import { env } from "@/lib/core/env";

export const MAX_BATCH_EVENTS = 1000;
/** Clocks drift; an event further ahead than this is a caller's bug, not a late report. */
export const MAX_FUTURE_MS = DAY_MS;

const TokenCount = z
  .number({ error: (issue) => (issue.input === undefined ? "is required (a whole number)" : "must be a number") })
  .int("must be a whole number")
  .nonnegative("must not be negative")
  // The columns are 32-bit integers.
  .max(2_147_483_647, "is too large");

// A zone is required: a local time would be read in the server's zone.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const Timestamp = z
  .string({ error: (issue) => (issue.input === undefined ? "is required (ISO 8601)" : "must be a string (ISO 8601)") })
  .refine((s) => ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)), {
    message: "must be an ISO 8601 date-time with a zone, e.g. 2026-11-01T10:00:00Z",
  })
  .transform((s) => new Date(s))
  .refine((d) => d.getTime() <= Date.now() + MAX_FUTURE_MS, { message: "must not be more than a day in the future" })
  // Hours older than raw retention are frozen in the rollups: usage there would be stored
  // but never counted, so the API says so instead of accepting it.
  .refine((d) => d.getTime() >= Date.now() - env.RETENTION_RAW_DAYS * DAY_MS, {
    message: `must be within the last ${env.RETENTION_RAW_DAYS} days (RETENTION_RAW_DAYS)`,
  });

const optionalText = (max: number) =>
  z
    .string({ error: "must be a string" })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => v || null);

export const UsageEvent = z
  .object({
    clientId: z
      .number({
        error: (issue) =>
          issue.input === undefined ? "is required (a positive integer)" : "must be a positive integer",
      })
      .int("must be a positive integer")
      .positive("must be a positive integer")
      .max(2_147_483_647, "must be a positive integer"),
    /** n8n's workflow id; mapped to the stored workflow when known. */
    workflowId: z
      .union([z.string().trim().min(1).max(200), z.number().int().nonnegative().transform(String)], {
        error: "must be n8n's workflow id (a string)",
      })
      .nullish()
      .transform((v) => v ?? null),
    /** n8n's execution id: digits. */
    executionId: z
      .union([z.string().regex(/^\d{1,15}$/), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)], {
        error: "must be n8n's execution id (digits)",
      })
      .nullish()
      .transform((v) => (v === null || v === undefined ? null : Number(v))),
    model: z
      .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
      .trim()
      .min(1, "must not be empty")
      .max(200, "must be at most 200 characters"),
    provider: optionalText(100).transform((v) => v?.toLowerCase() ?? null),
    promptTokens: TokenCount,
    completionTokens: TokenCount,
    /** Default: promptTokens + completionTokens. */
    totalTokens: TokenCount.optional(),
    reason: optionalText(500),
    timestamp: Timestamp,
    /** An explicit cost, kept as given (never re-priced); default: priced from the model. */
    costUsd: z
      .number({ error: "must be a number (USD)" })
      .nonnegative("must not be negative")
      .max(1_000_000, "is too large")
      .nullish()
      .transform((v) => v ?? null),
    /** Default: a hash of the event's content, so a retried identical event counts once. */
    idempotencyKey: z
      .string({ error: "must be a string" })
      .trim()
      .min(1, "must not be empty")
      .max(200, "must be at most 200 characters")
      .optional(),
  })
  // total_tokens is a 32-bit column too; the sum must fit when it is derived.
  .refine((e) => e.totalTokens !== undefined || !(e.promptTokens + e.completionTokens > 2_147_483_647), {
    path: ["totalTokens"],
    message: "promptTokens + completionTokens is too large",
  });
export type UsageEvent = z.output<typeof UsageEvent>;

/** An event as JSON Schema (request side), for the API document of the batch body. */
function usageEventJsonSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(UsageEvent, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Record<string, unknown>;
  return rest;
}

/**
 * What the batch route parses: items are validated one by one (with UsageEvent), so one
 * bad item rejects only itself. The API document shows the item schema all the same.
 */
export const UsageBatchBody = z.object({
  events: z
    .array(z.unknown(), { error: "must be a list of usage events" })
    .min(1, "must hold at least one event")
    .max(MAX_BATCH_EVENTS, `must hold at most ${MAX_BATCH_EVENTS} events`)
    .meta({ items: usageEventJsonSchema() }),
});

export const UsageIngestResult = z.object({
  accepted: z.number(),
  /** Already stored under the same idempotency key: counted once. */
  duplicates: z.number(),
  idempotencyKey: z.string(),
  /** The event's cost; null when its model has no price. */
  costUsd: z.number().nullable(),
});
export type UsageIngestResult = z.infer<typeof UsageIngestResult>;

export const UsageBatchResult = z.object({
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  /** One per rejected event: its position in `events` and "<field>: <problem>". */
  errors: z.array(z.object({ index: z.number(), message: z.string() })),
});
export type UsageBatchResult = z.infer<typeof UsageBatchResult>;
