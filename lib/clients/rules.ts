import { z } from "zod";
import { AppError } from "@/lib/core/errors";

/** A client pattern: a case-insensitive regular expression, checked when saved. */
const Pattern = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .superRefine((value, ctx) => {
    try {
      new RegExp(value, "i");
    } catch (err) {
      ctx.addIssue({
        code: "custom",
        message: `invalid regular expression ${JSON.stringify(value)}: ${(err as Error).message}`,
      });
    }
  });

/** Per-client production filter rules, stored as JSON on the client. */
export const FilterRules = z
  .object({
    excludeManual: z.boolean().default(true),
    excludeTestWorkflows: z.boolean().default(true),
    includePatterns: z.array(Pattern).max(50).default([]),
    excludePatterns: z.array(Pattern).max(50).default([]),
  })
  .strict();
export type FilterRules = z.infer<typeof FilterRules>;

export const DEFAULT_FILTER_RULES: FilterRules = FilterRules.parse({});

/** Validates rules from an operator; a bad one is a 400 that names the field. */
export function parseFilterRules(input: unknown): FilterRules {
  const parsed = FilterRules.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `filterRules.${issue.path.join(".")}` : "filterRules";
    throw new AppError("bad_request", `${where}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Rules already stored were validated on save; a row edited by hand that no longer
 * parses falls back to the defaults rather than stopping collection.
 */
export function storedFilterRules(stored: unknown): FilterRules {
  const parsed = FilterRules.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_FILTER_RULES;
}
