import { describeError } from "@/lib/runs/errors";

/**
 * Logs an unexpected error without the values it was computed from. A failed query's
 * error carries the statement and its parameters (a token's hash, a client's encrypted
 * n8n key): the log gets the cause, the statement and the stack, never the parameters.
 */
export function logError(context: string, err: unknown): void {
  const { message, detail } = describeError(err);
  console.error(`${context}: ${message}${detail ? `\n${detail}` : ""}`);
}
