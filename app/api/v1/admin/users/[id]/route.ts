import { apiRoute } from "@/lib/api/handler";
import { deleteUser } from "@/lib/accounts/users";

/** Deletes a user (never yourself); their sessions end with them. */
export const DELETE = apiRoute({
  access: "admin",
  handler: async ({ db, params, viewer }) => {
    await deleteUser(db, params.id, viewer.userId);
    return { deleted: true };
  },
});
