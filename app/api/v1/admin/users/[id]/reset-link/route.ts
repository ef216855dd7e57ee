import { apiRoute } from "@/lib/api/handler";
import { adminUserResetLink } from "@/lib/api/contracts/accounts";
import { createResetLink } from "@/lib/accounts/password-reset";
import { appOrigin } from "@/lib/accounts/origin";
import { env } from "@/lib/core/env";

/** A one-time password reset link, answered to the admin because no email is configured. */
export const POST = apiRoute(adminUserResetLink, {
  handler: ({ db, params, request }) =>
    createResetLink(db, { userId: params.id, origin: appOrigin(request, env.BETTER_AUTH_URL) }),
});
