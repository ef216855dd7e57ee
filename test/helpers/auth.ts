import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/database";
import type { UserRole } from "@/lib/core/vocabulary";
import { authFor } from "@/lib/accounts/auth";
import { peerHeader } from "@/lib/accounts/peer-address";
import { createUser } from "@/lib/accounts/users";

export interface SignedIn {
  userId: string;
  email: string;
  password: string;
  /** The Cookie header value that carries the session. */
  cookie: string;
}

let ipCounter = 0;

/** A new address per call, so suites that sign in often stay under the per-address limit. */
export function nextTestAddress(): string {
  const n = ipCounter++;
  return `10.0.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Signs in through better-auth's real endpoint, as a browser would; returns the response.
 * `peer` is the connection's address, set the way the peer hook of instrumentation.ts
 * sets it for real requests; `headers` are whatever else the request carries.
 */
export async function signIn(
  db: Db,
  email: string,
  password: string,
  peer = nextTestAddress(),
  headers: Record<string, string> = {},
): Promise<Response> {
  return authFor(db).handler(
    new Request("http://localhost/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost", [peerHeader()]: peer, ...headers },
      body: JSON.stringify({ email, password }),
    }),
  );
}

/** The name=value pairs of a response's Set-Cookie headers, as one Cookie header. */
export function cookieHeader(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** Creates a user with this role (and client) and signs them in. */
export async function signedInUser(db: Db, role: UserRole, clientId: number | null = null): Promise<SignedIn> {
  const email = `${role}-${randomBytes(4).toString("hex")}@example.test`;
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const user = await createUser(db, { email, password, role, clientId });
  const res = await signIn(db, email, password);
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return { userId: user.id, email, password, cookie: cookieHeader(res) };
}
