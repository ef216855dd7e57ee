import { z } from "zod";
import { EXECUTION_STATUSES, type ExecutionStatus } from "@/lib/core/vocabulary";

/**
 * What Flowscope reads from n8n's public API (/work/shared/n8n/CONTRACT.md). Unknown
 * fields are stripped (zod's default), so newer n8n versions that add fields
 * (`storedAt`, `jsonSizeBytes`, ...) parse unchanged.
 */

/** Workflow, tag and foreign ids: n8n versions differ between numbers and strings. */
const AnyId = z.union([z.string().min(1), z.number().int()]).transform(String);

/** Execution ids are auto-increment integers; the collector compares them as such. */
const ExecutionId = z
  .union([z.string().regex(/^\d+$/, "execution id must be numeric"), z.number().int().nonnegative()])
  .transform(String);

const NullableId = ExecutionId.nullish().transform((v) => v ?? null);

/** ISO strings to Date; absent or null to null. A malformed date fails the page. */
const NullableDate = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (!v) return null;
    const date = new Date(v);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: "custom", message: `invalid date "${v}"` });
      return z.NEVER;
    }
    return date;
  });

const isKnownStatus = (s: string): s is ExecutionStatus => (EXECUTION_STATUSES as readonly string[]).includes(s);

/** A status added by a future n8n must not fail a whole page: it becomes "unknown". */
const Status = z
  .string()
  .nullish()
  .transform((s): ExecutionStatus => (s && isKnownStatus(s) ? s : "unknown"));

export const N8nExecution = z.object({
  id: ExecutionId,
  finished: z.boolean().default(false),
  mode: z.string().default("unknown"),
  retryOf: NullableId,
  retrySuccessId: NullableId,
  status: Status,
  startedAt: NullableDate,
  stoppedAt: NullableDate,
  workflowId: AnyId,
  waitTill: NullableDate,
  customData: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((v) => v ?? {}),
  /** Node run data; present only when the request asked for includeData=true. */
  data: z.unknown().optional(),
});
export type N8nExecution = z.infer<typeof N8nExecution>;

export const N8nTag = z.object({ id: AnyId, name: z.string() });
export type N8nTag = z.infer<typeof N8nTag>;

export const N8nNode = z.object({
  name: z.string(),
  type: z.string(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  disabled: z.boolean().nullish(),
});
export type N8nNode = z.infer<typeof N8nNode>;

export const N8nWorkflow = z.object({
  id: AnyId,
  name: z.string(),
  active: z.boolean().default(false),
  isArchived: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  createdAt: NullableDate,
  updatedAt: NullableDate,
  tags: z
    .array(N8nTag)
    .nullish()
    .transform((v) => v ?? []),
  nodes: z
    .array(N8nNode)
    .nullish()
    .transform((v) => v ?? []),
  settings: z
    .object({
      /** Minutes saved per execution, as set by the workflow's owner. */
      timeSavedPerExecution: z.number().nonnegative().nullish(),
      timezone: z.string().nullish(),
    })
    .nullish()
    .transform((v) => v ?? {}),
});
export type N8nWorkflow = z.infer<typeof N8nWorkflow>;

/** `data` is required: a body without it is an error, never an empty page. */
const nextCursor = z
  .string()
  .nullish()
  .transform((v) => v || null);

export const N8nExecutionPage = z.object({ data: z.array(N8nExecution), nextCursor });
export type N8nExecutionPage = z.infer<typeof N8nExecutionPage>;

export const N8nWorkflowPage = z.object({ data: z.array(N8nWorkflow), nextCursor });
export type N8nWorkflowPage = z.infer<typeof N8nWorkflowPage>;
