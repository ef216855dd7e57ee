/**
 * One error type for everything a caller may see. Route handlers turn it into
 * `{error: {code, message}}` with the status of its code; anything else is logged and
 * answered as a plain 500 without details (lib/api/handler.ts).
 */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  database_locked: 503,
  upstream: 502,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * An error whose message was written for people (an AppError, or an outside service's
 * failure such as n8n's): a failed run records its message as is (describe-error.ts).
 */
export class ReadableError extends Error {}

export class AppError extends ReadableError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message } };
  }
}
