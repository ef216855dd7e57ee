/**
 * The SQLSTATEs of a failed statement, wherever the driver's error sits: drizzle wraps
 * postgres.js's and PGlite's errors, and the code is on the cause.
 */
function* sqlStates(err: unknown): Generator<string> {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) yield code;
  }
}

/** Whether a database error with one of these SQLSTATEs is anywhere in `err`'s cause chain. */
export function hasSqlState(err: unknown, codes: readonly string[]): boolean {
  for (const code of sqlStates(err)) if (codes.includes(code)) return true;
  return false;
}

/** Whether `err` carries a SQLSTATE of one of these classes (its first two characters: "22", "23"). */
export function hasSqlStateClass(err: unknown, classes: readonly string[]): boolean {
  for (const code of sqlStates(err)) if (classes.includes(code.slice(0, 2))) return true;
  return false;
}
