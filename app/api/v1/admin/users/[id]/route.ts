import { apiRoute } from "@/lib/api/handler";
import { adminUserDelete } from "@/lib/api/contracts/accounts";
import { deleteUser } from "@/lib/accounts/users";

/** Deletes a user (never yourself); their sessions end with them. */
export const DELETE = apiRoute(adminUserDelete, {
  handler: async ({ db, params, viewer }) => {
    await deleteUser(db, params.id, viewer.userId);
    return { deleted: true };
  },
});
