import { AppError } from "@/lib/core/errors";

/** Bodies of ordinary routes: a client with a thousand rules fits many times over. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * A request body as text, refused with 415 unless it is JSON and with 413 past
 * `maxBytes`. Parsing any content type as JSON is what let a `<form enctype="text/plain">`
 * post JSON; the limit is counted while reading, so a body that lies about (or omits) its
 * Content-Length is cut off all the same. An empty body is "".
 */
export async function readJsonText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (size === 0) return "";
  const type = request.headers.get("content-type") ?? "";
  if (!JSON_TYPE.test(type)) {
    throw new AppError(
      "unsupported_media_type",
      `content-type: must be application/json (got ${type.slice(0, 60) || "none"})`,
    );
  }
  // fatal: bytes that are not UTF-8 are a 400, not text with replacement characters.
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("bad_request", "body: must be UTF-8 encoded JSON");
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `body: must be at most ${Math.floor(maxBytes / 1024)} KiB`);
}
