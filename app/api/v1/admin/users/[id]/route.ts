import { apiRoute } from "@/lib/api/handler";
import { adminUserDelete, adminUserUpdate } from "@/lib/api/contracts/accounts";
import { deleteUser, updateUser } from "@/lib/accounts/users";

/** Changes a user's role or client (never leaving no admin). */
export const PATCH = apiRoute(adminUserUpdate, {
  handler: ({ db, params, body, viewer }) => updateUser(db, params.id, body, viewer.userId),
});

/** Deletes a user (never yourself); their sessions end with them. */
export const DELETE = apiRoute(adminUserDelete, {
  handler: async ({ db, params, viewer }) => {
    await deleteUser(db, params.id, viewer.userId);
    return { deleted: true };
  },
});
