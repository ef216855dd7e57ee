import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** A zod issue as "<field>: <message>", so a 400 says which field is wrong. */
export function describeIssue(issue: z.core.$ZodIssue, fallback = "body"): string {
  const path = issue.path.join(".") || fallback;
  return `${path}: ${issue.message}`;
}

/** Parses input with a zod schema, or throws a 400 naming the first wrong field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, fallback = "body"): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError("bad_request", describeIssue(parsed.error.issues[0], fallback));
  return parsed.data;
}
