import { AppError } from "@/lib/core/errors";

/** A path id: digits, 1..999,999,999 (the serial range a URL can hold); anything else is null. */
export function idFromPath(value: string): number | null {
  return /^[1-9]\d{0,8}$/.test(value) ? Number(value) : null;
}

/** Path ids in route handlers are positive integers; anything else is a 400 that names the parameter. */
export function parseId(value: string, name = "id"): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1)
    throw new AppError("bad_request", `${name}: must be a positive integer`);
  return Number(value);
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
