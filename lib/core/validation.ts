import type { z } from "zod";
import { AppError } from "@/lib/core/errors";

/**
 * The longest string any input field may hold, whatever its schema says. Schemas set
 * tighter limits per field; this one stops a megabyte "name" before it reaches a
 * schema that forgot to.
 */
export const MAX_TEXT_LENGTH = 10_000;

/** A zod issue as "<field>: <message>", so a 400 says which field is wrong. */
export function describeIssue(issue: z.core.$ZodIssue, fallback = "body"): string {
  const path = issue.path.join(".") || fallback;
  return `${path}: ${issue.message}`;
}

// A lone surrogate: a high one not followed by a low one, or a low one without a high one before it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text, or null when it can. */
function textProblem(text: string): string | null {
  // PostgreSQL refuses NUL in text and jsonb: the insert would fail as a 500.
  if (text.includes("\u0000")) return "must not contain NUL characters";
  // jsonb refuses the escape JSON.stringify writes for a lone surrogate.
  if (LONE_SURROGATE.test(text)) return "must be valid Unicode text";
  if (text.length > MAX_TEXT_LENGTH) return `must be at most ${MAX_TEXT_LENGTH} characters`;
  return null;
}

/**
 * The first string in a parsed JSON value (keys included) that no text column could
 * hold, as "<path>: <problem>"; null when there is none. Run on raw input before any
 * schema, so that every route and every batch item refuses it with a 400 naming the
 * field, whatever its schema does with strings.
 */
export function findUnstorableText(
  value: unknown,
  path: ReadonlyArray<string | number> = [],
  fallback = "body",
): string | null {
  const where = (p: ReadonlyArray<string | number>) => p.join(".") || fallback;
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem ? `${where(path)}: ${problem}` : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, i], fallback);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return `${where(path)}: a field name ${keyProblem}`;
      const found = findUnstorableText(item, [...path, key], fallback);
      if (found) return found;
    }
  }
  return null;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; message: string };

export interface InputOptions {
  /**
   * A top-level list whose items the caller validates one by one (a batch): its items'
   * text is left to that per-item parse, so one bad item rejects only itself.
   */
  perItem?: string;
}

function withoutItems(input: unknown, field: string | undefined): unknown {
  if (!field || !input || typeof input !== "object" || Array.isArray(input)) return input;
  const { [field]: items, ...rest } = input as Record<string, unknown>;
  return Array.isArray(items) ? rest : input;
}

/** Checks text, then parses with a zod schema; a failure says "<field>: <problem>". */
export function tryParseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  fallback = "body",
  options: InputOptions = {},
): Parsed<z.infer<S>> {
  const unstorable = findUnstorableText(withoutItems(input, options.perItem), [], fallback);
  if (unstorable) return { ok: false, message: unstorable };
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, message: describeIssue(parsed.error.issues[0], fallback) };
  return { ok: true, data: parsed.data };
}

/** Parses input with a zod schema, or throws a 400 naming the first wrong field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  fallback = "body",
  options: InputOptions = {},
): z.infer<S> {
  const parsed = tryParseInput(schema, input, fallback, options);
  if (!parsed.ok) throw new AppError("bad_request", parsed.message);
  return parsed.data;
}
