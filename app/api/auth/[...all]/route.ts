import { getAuth } from "@/lib/auth/auth";

/**
 * better-auth's endpoints (sign-in, sign-out, session). Public by nature: they are how
 * a visitor becomes a viewer. Sign-up is disabled; attempts are rate-limited per IP.
 */
async function handle(request: Request): Promise<Response> {
  return (await getAuth()).handler(request);
}

export const GET = handle;
export const POST = handle;
