import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/core/env";
import type { Viewer } from "@/lib/accounts/viewer";

/** Who a request carrying the scrape token is: it reads what operators read, and nothing else accepts it. */
const SCRAPER: Viewer = {
  via: "token",
  role: "operator",
  clientId: null,
  userId: null,
  email: null,
  name: "Prometheus scrape token",
  tokenId: null,
};

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * The Prometheus endpoint's own credential: `Authorization: Bearer
 * <PROMETHEUS_SCRAPE_TOKEN>`. Compared in constant time over equal-length digests (the
 * length of the token sent tells nothing either). Any other header, or no token set,
 * answers null and the request goes on to the usual sessions and API tokens.
 */
export function scrapeTokenViewer(request: Request): Viewer | null {
  const expected = env.PROMETHEUS_SCRAPE_TOKEN;
  if (!expected) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) return null;
  return timingSafeEqual(digest(match[1]), digest(expected)) ? SCRAPER : null;
}
