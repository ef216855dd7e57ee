/**
 * One guarded POST for the webhook and Slack senders. An admin types these URLs, so they
 * follow the n8n client's address rules (lib/n8n/address-guard.ts) with their own switch,
 * ALERT_ALLOW_PRIVATE_HOSTS; redirects are never followed (a 3xx would carry the body, and
 * a webhook's signature, wherever it points).
 */
import { isIP } from "node:net";
import { fetch as undiciFetch, type Dispatcher } from "undici";
import { privateAlertHostsAllowed } from "@/lib/core/env";
import { SECOND_MS } from "@/lib/core/time";
import { withTimeout } from "@/lib/core/timeout";
import {
  ADDRESS_CLASS_LABELS,
  BlockedAddressError,
  resolveAllowed,
  sharedGuardedAgent,
  type HostResolver,
} from "@/lib/n8n/address-guard";

/** What every sender returns; a failed delivery is a result, never a throw. */
export interface SendResult {
  ok: boolean;
  /** The receiver's HTTP status or SMTP reply code; null when none came. */
  statusCode: number | null;
  error: string | null;
}

export interface HttpSendOptions {
  /** Default: ALERT_ALLOW_PRIVATE_HOSTS (on in demo and development, off in production). */
  allowPrivateHosts?: boolean;
  timeoutMs?: number;
  /** Tests only: answers DNS without the network. */
  resolveHost?: HostResolver;
}

export const SEND_TIMEOUT_MS = 10 * SECOND_MS;
/** How much of a receiver's error answer is kept: enough to read its reason. */
const ERROR_BODY_MAX = 300;

export async function postJson(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: HttpSendOptions = {},
): Promise<SendResult & { body: string }> {
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const allowPrivate = options.allowPrivateHosts ?? privateAlertHostsAllowed;
  const fail = (error: string, statusCode: number | null = null) => ({ ok: false, statusCode, error, body: "" });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return fail("the channel's URL is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return fail(`${url.protocol} URLs are not supported`);
  // The dispatcher checks each connection's address, but IP literals never reach its lookup.
  try {
    await withTimeout(resolveAllowed(url.hostname, { allowPrivate, resolve: options.resolveHost }), timeoutMs);
  } catch (err) {
    return fail(networkError(err, url, timeoutMs));
  }
  const dispatcher: Dispatcher = sharedGuardedAgent(allowPrivate);
  let status: number;
  let text: string;
  let location: string | null;
  try {
    const response = await undiciFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Flowscope-Alerts/1", ...headers },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher,
    });
    status = response.status;
    location = response.headers.get("location");
    // Inside the try: the timeout also covers an answer that trickles in.
    text = await response.text();
  } catch (err) {
    return fail(networkError(err, url, timeoutMs));
  }
  if (status >= 300 && status < 400) {
    const to = location ? new URL(location, url) : null;
    return fail(
      `HTTP ${status} redirect${to ? ` to ${to.origin}` : ""}; redirects are not followed, use the final URL`,
      status,
    );
  }
  if (status < 200 || status >= 300) {
    const reason = text.trim().replace(/\s+/g, " ").slice(0, ERROR_BODY_MAX);
    return fail(`HTTP ${status}${reason ? `: ${reason}` : ""}`, status);
  }
  return { ok: true, statusCode: status, error: null, body: text };
}

/**
 * One sentence per way a request fails. Connection errors share one wording, as the n8n
 * client's do: whoever can press "send test notification" must not learn from the answer
 * which ports of a host are open. A refused address names the setting that governs it.
 */
function networkError(err: unknown, url: URL, timeoutMs: number): string {
  const blocked = blockedIn(err);
  if (blocked) return refusal(blocked);
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === "TimeoutError") return `${url.host} did not answer within ${timeoutMs / SECOND_MS} s`;
  }
  return `could not connect to ${url.host}`;
}

function refusal(err: BlockedAddressError): string {
  const what = isIP(err.address)
    ? `resolves to ${ADDRESS_CLASS_LABELS[err.addressClass]} (${err.address})`
    : "names a cloud metadata service";
  return err.addressClass === "metadata" || err.addressClass === "link_local"
    ? `${err.host} ${what}: Flowscope never sends to link-local or cloud metadata addresses`
    : `${err.host} ${what}; set ALERT_ALLOW_PRIVATE_HOSTS=true to deliver alerts inside your own network`;
}

function blockedIn(err: unknown): BlockedAddressError | null {
  // undici wraps what the connection's lookup refused: TypeError("fetch failed", { cause }).
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof BlockedAddressError) return e;
  }
  return null;
}
