import { AppError } from "@/lib/core/errors";
import { idParam } from "@/lib/metrics/params";

const PathId = idParam("A row's id.");

/** A path id as the API's contracts read it (1..2^31-1, no leading zeros); anything else is null. */
export function idFromPath(value: string): number | null {
  const parsed = PathId.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** For pages: a row that does not exist is null (the page renders "not found"), other errors propagate. */
export async function nullIfNotFound<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") return null;
    throw err;
  }
}
