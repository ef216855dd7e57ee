import type { Db } from "@/lib/db/database";
import { getClientOrThrow } from "@/lib/clients/queries";
import { connectN8n } from "@/lib/clients/connection";
import { N8nClient, N8nError, normaliseBaseUrl, type N8nClientOptions, type N8nErrorKind } from "@/lib/n8n";
import { SecretDecryptionError } from "@/lib/core/secrets/encryption";

/** What a connection test answers (the admin console shows it as is). */
export type ConnectionTest =
  | {
      ok: true;
      baseUrl: string;
      workflows: number;
      /** Up to the cap; `executionsCapped` says n8n holds more. */
      executions: number;
      executionsCapped: boolean;
      ms: number;
    }
  | {
      ok: false;
      baseUrl: string;
      /** `title` is the short verdict ("n8n refused the API key"), `message` the detail and the fix. */
      /** unreadable_key: the stored key was encrypted under another FLOWSCOPE_ENCRYPTION_KEY. */
      error: { kind: N8nErrorKind | "unreadable_key"; title: string; message: string };
      ms: number;
    };

/** Counting stops here: enough to prove access without paging through years of history. */
export const EXECUTION_COUNT_CAP = 1_000;

/**
 * An admin is waiting for the answer: one attempt and a short timeout, so a wrong URL
 * reports within seconds instead of after the sync's retries and backoff.
 */
const PROBE_OPTIONS: Omit<N8nClientOptions, "baseUrl" | "apiKey"> = { maxRetries: 0, timeoutMs: 10_000 };

/** The short verdict of each failure; the error's own message carries the detail and the fix. */
const TITLES: Record<N8nErrorKind, string> = {
  unauthorized: "n8n refused the API key",
  not_n8n: "No n8n API at this address",
  not_found: "n8n does not have this resource",
  unreachable: "n8n is unreachable",
  timeout: "n8n did not answer in time",
  rate_limited: "n8n is rate-limiting this API key",
  server_error: "n8n failed with a server error",
  invalid_response: "n8n sent an unreadable answer",
  bad_request: "n8n rejected the request",
  blocked_address: "Flowscope does not call this address",
};

/**
 * Reads what a sync would read first: every workflow page, then executions newest-first
 * up to the cap. n8n failures are an answer (ok: false with the kind), not an exception:
 * "wrong key" is exactly what the admin asked to find out.
 */
export async function probeN8n(
  baseUrl: string,
  connect: () => N8nClient,
  cap = EXECUTION_COUNT_CAP,
): Promise<ConnectionTest> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  let shownUrl = baseUrl;
  try {
    shownUrl = normaliseBaseUrl(baseUrl);
    const n8n = connect();
    let workflows = 0;
    for await (const page of n8n.workflowPages()) workflows += page.length;
    let executions = 0;
    let executionsCapped = false;
    for await (const page of n8n.executionPages({ limit: Math.min(250, cap) })) {
      executions += page.executions.length;
      if (executions >= cap) {
        executionsCapped = executions > cap || page.nextCursor !== null;
        executions = Math.min(executions, cap);
        break;
      }
    }
    return { ok: true, baseUrl: shownUrl, workflows, executions, executionsCapped, ms: ms() };
  } catch (err) {
    // The stored key cannot be read under the configured encryption key: an answer too.
    if (err instanceof SecretDecryptionError) {
      return {
        ok: false,
        baseUrl: shownUrl,
        error: { kind: "unreadable_key", title: "The stored API key cannot be decrypted", message: err.message },
        ms: ms(),
      };
    }
    if (!(err instanceof N8nError)) throw err;
    return {
      ok: false,
      baseUrl: shownUrl,
      error: { kind: err.kind, title: TITLES[err.kind], message: err.message },
      ms: ms(),
    };
  }
}

/** Tests a stored client's connection; the key is decrypted only inside connectN8n. */
export async function testClientConnection(db: Db, clientId: number): Promise<ConnectionTest> {
  const client = await getClientOrThrow(db, clientId);
  return probeN8n(client.n8nBaseUrl, () => connectN8n(client, PROBE_OPTIONS));
}

/** Tests a URL and key before a client is created with them (nothing is stored). */
export function testNewConnection(input: { n8nBaseUrl: string; n8nApiKey: string }): Promise<ConnectionTest> {
  return probeN8n(
    input.n8nBaseUrl,
    () => new N8nClient({ ...PROBE_OPTIONS, baseUrl: input.n8nBaseUrl, apiKey: input.n8nApiKey }),
  );
}
