import { ReadableError } from "@/lib/core/errors";

/** What a failed run stores: a sentence for people, and the technical detail apart. */
export interface DescribedError {
  /** One readable sentence with its cause (sync_runs.error), at most MESSAGE_MAX characters. */
  message: string;
  /** SQL text and stack (sync_runs.error_detail), at most DETAIL_MAX characters; null when the message says it all. */
  detail: string | null;
}

export const MESSAGE_MAX = 500;
export const DETAIL_MAX = 4000;
/** A statement of a batch insert runs to tens of KB; its head is enough to recognise it. */
const SQL_MAX = 1500;

/**
 * Turns anything a job throws into what its run records. Drizzle wraps driver errors in
 * a DrizzleQueryError whose message is the whole statement and its parameters (36,000
 * characters for a page of executions, with client data in the parameters): that goes
 * nowhere near the message. The message names the operation and the driver's reason
 * with its SQLSTATE; the statement (never its parameters, nor the server's DETAIL, which
 * quotes them) and the stack go to `detail`. The server log gets the same (lib/core/log.ts).
 */
export function describeError(err: unknown): DescribedError {
  if (err instanceof ReadableError) return { message: clean(err.message, MESSAGE_MAX), detail: null };
  const database = databaseFailure(err);
  if (database) return database;
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (cause: ${firstLine(err.cause.message)})` : "";
    return {
      message: clean(`${firstLine(err.message) || err.name}${cause}`, MESSAGE_MAX),
      detail: clean(stackOf(err), DETAIL_MAX),
    };
  }
  return { message: clean(String(err), MESSAGE_MAX), detail: null };
}

/** Removes NUL bytes, which PostgreSQL rejects in text (and in jsonb strings), and caps the length. */
export function clean(text: string, max: number): string {
  const plain = text.replaceAll("\u0000", "");
  return plain.length <= max ? plain : `${plain.slice(0, max - 1)}…`;
}

/** A copy of a JSON value without NUL characters in its strings, for jsonb columns. */
export function withoutNul<T>(value: T): T {
  if (value === undefined || value === null) return value;
  const json = JSON.stringify(value);
  // An escaped backslash followed by "u0000" is literal text, not a NUL: keep it.
  return json.includes("\\u0000") ? (JSON.parse(json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1")) as T) : value;
}

/** A driver error as drizzle's cause chain carries it (postgres.js PostgresError, PGlite DatabaseError). */
interface DriverError {
  message: string;
  code?: string;
  stack?: string;
}

/** postgres.js's codes for a connection lost or never made, and the system errors under them. */
const POSTGRES_JS_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT"]);
const SYSTEM_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"]);
const SQLSTATE = /^[0-9A-Z]{5}$/;

function databaseFailure(err: unknown): DescribedError | null {
  let query: string | undefined;
  let paramCount = 0;
  let driver: DriverError | undefined;
  for (const e of causeChain(err)) {
    const q = (e as { query?: unknown }).query;
    const params = (e as { params?: unknown }).params;
    if (query === undefined && typeof q === "string") {
      query = q;
      paramCount = Array.isArray(params) ? params.length : 0;
    }
    if (!driver && isDriverError(e, query !== undefined)) {
      const code = (e as { code?: unknown }).code as string;
      driver = { message: withoutQuotedValues(e.message, code), code, stack: e.stack };
    }
  }
  if (query === undefined && !driver) return null;

  const what = query ? operationOf(query) : null;
  const reason = driver ? firstLine(driver.message).replace(/\.$/, "") : "the query failed";
  const code = driver?.code ? ` (${SQLSTATE.test(driver.code) ? "SQLSTATE " : ""}${driver.code})` : "";
  const message = `Database error${what ? ` while ${what}` : ""}: ${reason}${code}.`;

  // The server's DETAIL quotes the row's values ("Failing row contains (..., <token hash>,
  // ...)"), as the parameters do: it is recorded nowhere.
  const parts: string[] = [];
  if (query)
    parts.push(`SQL: ${clean(query, SQL_MAX)}${paramCount > 0 ? `\n(${paramCount} parameters, not recorded)` : ""}`);
  if (err instanceof Error) parts.push(stackOf(err));
  if (driver?.stack && err instanceof Error && driver.stack !== err.stack)
    parts.push(`Caused by: ${stackOf(driverAsError(driver))}`);
  return { message: clean(message, MESSAGE_MAX), detail: clean(parts.filter(Boolean).join("\n"), DETAIL_MAX) };
}

/**
 * Data exceptions (SQLSTATE class 22) quote the value that failed ('invalid input syntax
 * for type integer: "<a parameter>"'): the value goes, the reason stays.
 */
function withoutQuotedValues(message: string, code: string | undefined): string {
  return code?.startsWith("22") ? message.replace(/"[^"]*"/g, '"…"') : message;
}

/**
 * The driver's own error: a server error carries a SQLSTATE and a severity (postgres.js
 * PostgresError, PGlite's DatabaseError); a lost connection a postgres.js code. A system
 * error (ECONNREFUSED) counts only under a failed query: elsewhere it may be anything's.
 */
function isDriverError(e: Error, underQuery: boolean): boolean {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== "string") return false;
  if (SQLSTATE.test(code)) return "severity" in e || e.name === "PostgresError";
  return POSTGRES_JS_CODES.has(code) || (underQuery && SYSTEM_CODES.has(code));
}

function driverAsError(driver: DriverError): Error {
  const e = new Error(driver.message);
  e.name = "DriverError";
  e.stack = driver.stack;
  return e;
}

/** "insert into "llm_usage" ..." → "inserting into llm_usage": what a reader needs, not the statement. */
export function operationOf(query: string): string | null {
  const q = query.trim().replace(/\s+/g, " ");
  const table = (re: RegExp) => re.exec(q)?.[1];
  const name = String.raw`"?([A-Za-z_][\w]*)"?`;
  if (/^insert/i.test(q)) return `inserting into ${table(new RegExp(`^insert into ${name}`, "i")) ?? "a table"}`;
  if (/^update/i.test(q)) return `updating ${table(new RegExp(`^update ${name}`, "i")) ?? "a table"}`;
  if (/^delete/i.test(q)) return `deleting from ${table(new RegExp(`^delete from ${name}`, "i")) ?? "a table"}`;
  if (/^select/i.test(q)) {
    const from = table(new RegExp(`\\bfrom ${name}`, "i"));
    return from ? `reading ${from}` : "running a query";
  }
  if (/^(begin|commit|rollback|savepoint|release)/i.test(q)) return "managing a transaction";
  return "running a query";
}

function* causeChain(err: unknown): Generator<Error> {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    yield current;
    current = current.cause;
  }
}

function stackOf(err: Error | null): string {
  if (!err) return "";
  const stack = err.stack ?? "";
  const frames = stack.split("\n").filter((line) => /^\s+at /.test(line));
  const name = err.name === "Error" ? err.constructor.name : err.name;
  const message = firstLine(err.message);
  // A DrizzleQueryError's message is the statement: already in the detail, once.
  const head = message.startsWith("Failed query:") ? "Failed query" : message.slice(0, 300);
  return [`${name}: ${head}`, ...frames].join("\n");
}

function firstLine(text: string): string {
  return text.split("\n")[0].trim();
}
