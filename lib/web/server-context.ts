import "server-only";
import { headers } from "next/headers";
import type { FetchContext } from "./fetch-json";

/**
 * Server prefetch calls this app's own API over HTTP rather than the lib functions: the
 * hydrated cache then holds exactly the JSON the browser would get for the same key
 * (same zod parsing, same ISO dates, same cache and, later, the same authorisation), and
 * the pages never depend on the lib functions' signatures. The cost is one loopback
 * request per widget, a few milliseconds.
 *
 * The origin is the server itself (`next start` sets PORT), not the Host header: a
 * spoofed Host must not make the server fetch another machine. The request's cookies
 * are forwarded so a signed-in user's scope applies to the prefetch too.
 */
export async function serverFetchContext(): Promise<FetchContext> {
  const incoming = await headers();
  const port = process.env.PORT;
  const origin = port ? `http://127.0.0.1:${port}` : `http://${incoming.get("host") ?? "localhost:3000"}`;
  const cookie = incoming.get("cookie");
  return { origin, headers: cookie ? { cookie } : {} };
}
