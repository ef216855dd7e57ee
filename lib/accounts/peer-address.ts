import { randomBytes } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { getIPFromHeader, normalizeIP } from "@better-auth/core/utils/ip";
import { env } from "@/lib/core/env";

/**
 * Route handlers never see the socket, and every header they see may come from the
 * client: Next fills x-forwarded-for with the socket's address only when the client did
 * not send one. So the address of the connection is written into a header of our own as
 * the request enters Node's HTTP server, before Next reads anything.
 *
 * The header's name ends in random characters chosen once per process, so no client can
 * send it, not even in requests that reach the server before the hook is installed. It
 * lives on globalThis because Next bundles instrumentation.ts and each route apart: each
 * bundle has its own copy of this module, but they share the process's globalThis.
 */
const STATE = Symbol.for("flowscope.peerAddress");

interface PeerState {
  header: string;
  hookInstalled: boolean;
  missingWarned: boolean;
}

function state(): PeerState {
  const g = globalThis as unknown as { [STATE]?: PeerState };
  return (g[STATE] ??= {
    header: `x-flowscope-peer-${randomBytes(12).toString("hex")}`,
    hookInstalled: false,
    missingWarned: false,
  });
}

/** The header that carries the connection's address. Tests set it as the hook would. */
export function peerHeader(): string {
  return state().header;
}

/**
 * Writes each incoming request's socket address into peerHeader(), from
 * instrumentation.ts (Node runtime, once per server start).
 *
 * Node publishes "http.server.request.start" for every request of every http and https
 * server in the process, synchronously and before the server emits "request" to its
 * listener, which in `next start` and `next dev` is Next's own handler (start-server.js
 * creates it with http.createServer in this same process, then awaits register() before
 * it routes anything). Requests accepted while the server was still starting, before
 * this ran, carry no peer header: see clientAddress.
 */
export function installPeerAddressHook(): void {
  const s = state();
  if (s.hookInstalled) return;
  s.hookInstalled = true;
  subscribe("http.server.request.start", (message) => {
    const request = (message as { request: IncomingMessage }).request;
    const address = request.socket?.remoteAddress;
    if (address) request.headers[s.header] = address;
  });
}

/**
 * The address a request is counted against for the sign-in limits: the connection's,
 * unless the connection comes from one of AUTH_TRUSTED_PROXIES; then the right-most
 * address in AUTH_IP_HEADER that is not a trusted proxy (what the last trusted proxy
 * saw). Whatever a client writes itself sits to the left of that and is never reached.
 * When every hop is trusted, or the chain holds something that is not an address, it is
 * the connection's address again: the proxy's, a bucket the client cannot choose.
 * IPv6 addresses count by /64, as better-auth does, since one host usually holds a /64.
 *
 * Null when the peer header is missing: the request did not come through Node's HTTP
 * server with the hook installed (route handlers called directly, or a request accepted
 * in the moment before register() installed the hook). Such requests share
 * one bucket (better-auth's fallback for a request without an address): never a way
 * around the limit, at worst a limit shared by more callers.
 */
export function clientAddress(headers: Headers): string | null {
  const peer = headers.get(peerHeader())?.trim();
  if (!peer) {
    warnMissingPeer();
    return null;
  }
  const trustedProxies = env.AUTH_TRUSTED_PROXIES ?? [];
  if (trustedProxies.length === 0) return normalizeIP(peer);
  const forwarded = headers.get(env.AUTH_IP_HEADER);
  // The peer is the last hop of the chain: walking from the right starts with it.
  const chain = forwarded ? `${forwarded},${peer}` : peer;
  return getIPFromHeader(chain, { trustedProxies }) ?? normalizeIP(peer);
}

function warnMissingPeer(): void {
  const s = state();
  if (s.missingWarned || env.NODE_ENV === "test") return;
  s.missingWarned = true;
  console.warn(
    "[flowscope] an auth request arrived without the connection's address (the peer hook of " +
      "instrumentation.ts did not see it); such requests share one rate-limit bucket",
  );
}
