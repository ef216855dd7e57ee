import { describeError } from "@/lib/core/describe-error";

/** The text logged for an error: its cause, statement and stack, never query parameters. */
function describeForLog(err: unknown): string {
  const { message, detail } = describeError(err);
  return `${message}${detail ? `\n${detail}` : ""}`;
}

/**
 * Logs an unexpected error without the values it was computed from. A failed query's
 * error carries the statement and its parameters (a token's hash, a client's encrypted
 * n8n key): the log gets the cause, the statement and the stack, never the parameters.
 */
export function logError(context: string, err: unknown): void {
  console.error(`${context}: ${describeForLog(err)}`);
}

/** A failed query anywhere in an error's cause chain: drizzle's error names its parameters. */
function carriesQuery(value: unknown): boolean {
  for (let e = value, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (typeof (e as { query?: unknown }).query === "string" && "params" in e) return true;
  }
  return false;
}

/**
 * Errors that code outside ours logs (Next logs a page's failed render with the whole
 * error, message included) pass through console.error: there, a failed query is
 * replaced by its description, so no parameter reaches the server log by that road
 * either. Installed once per server start (instrumentation.ts).
 */
export function redactQueryErrorsInConsole(): void {
  const state = globalThis as unknown as { flowscopeConsoleRedacted?: boolean };
  if (state.flowscopeConsoleRedacted) return;
  state.flowscopeConsoleRedacted = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) =>
    original(...args.map((arg) => (carriesQuery(arg) ? describeForLog(arg) : arg)));
}
