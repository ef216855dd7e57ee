import { getAuth } from "@/lib/accounts/auth";

/**
 * better-auth's endpoints (sign-in, sign-out, session). Public by nature: they are how
 * a visitor becomes a viewer. Sign-up is disabled. Sign-in attempts are limited per
 * client address and per account; both are applied inside the auth instance's handler
 * (lib/accounts/auth.ts), so there is nothing to add here.
 */
async function handle(request: Request): Promise<Response> {
  return (await getAuth()).handler(request);
}

export const GET = handle;
export const POST = handle;
