import type { Metadata } from "next";
import { Suspense } from "react";
import { InviteUserForm } from "@/components/admin/accounts/invite-user-form";
import { usersQuery } from "@/components/admin/accounts/account-api";
import { SeededQuery } from "@/components/admin/accounts/seeded-query";
import { UsersTable } from "@/components/admin/accounts/users-table";
import { WidgetErrorBoundary } from "@/components/ui/error-boundary";
import { Skeleton } from "@/components/ui/skeleton";
import { requirePageViewer } from "@/lib/accounts/page-guard";
import { listClientChoices, listUsers } from "@/lib/accounts/users";
import { getDb } from "@/lib/db/database";

export const metadata: Metadata = { title: "Users" };

/**
 * Admins invite, edit and delete users and issue password reset links; the list and the
 * client choices load here, on the server.
 */
export default async function UsersPage() {
  const viewer = await requirePageViewer("admin");
  const db = await getDb();
  const [users, clients] = await Promise.all([listUsers(db), listClientChoices(db)]);
  return (
    <section aria-labelledby="users-heading" className="space-y-6">
      <h1 id="users-heading" className="text-2xl font-semibold">
        Users
      </h1>
      <InviteUserForm clients={clients} />
      <WidgetErrorBoundary label="Users" resetKey="users">
        <Suspense fallback={<Skeleton label="users" className="h-40" />}>
          <SeededQuery queryKey={usersQuery().queryKey} data={users}>
            <UsersTable currentUserId={viewer.userId} clients={clients} />
          </SeededQuery>
        </Suspense>
      </WidgetErrorBoundary>
    </section>
  );
}
