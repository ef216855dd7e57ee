"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Badge, type Tone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { PublicUser } from "@/lib/accounts/users";
import { formatTimestamp } from "@/components/format/format";
import { CELL, TABLE, TBODY, THEAD, TableScroll } from "@/components/ui/table";
import { deleteUser, usersQuery } from "./account-api";
import { ConfirmAction } from "./confirm-action";

const ROLE_TONE: Record<PublicUser["role"], Tone> = { admin: "blue", operator: "green", client: "gray" };

/** Every user with role and client; anyone but yourself can be deleted. */
export function UsersTable({ currentUserId }: { currentUserId: string | null }) {
  const queryClient = useQueryClient();
  const { data: users } = useSuspenseQuery(usersQuery());
  if (users.length === 0)
    return <EmptyState title="No users yet">Invite the first one with the form above.</EmptyState>;

  async function remove(user: PublicUser) {
    await deleteUser(user.id);
    await queryClient.invalidateQueries({ queryKey: usersQuery().queryKey });
  }

  return (
    <TableScroll boxed label="Users table, scrolls sideways on small screens">
      <table className={TABLE}>
        <caption className="sr-only">Every user with role, client and creation date</caption>
        <thead className={THEAD}>
          <tr>
            <th scope="col" className={`${CELL} font-medium`}>
              User
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Role
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Client
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              Created
            </th>
            <th scope="col" className={`${CELL} font-medium`}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className={TBODY}>
          {users.map((u) => (
            <tr key={u.id} data-testid={`user-row-${u.email}`}>
              <th scope="row" className={`${CELL} text-left font-normal`}>
                <span className="block font-medium">{u.name}</span>
                <span className="block text-gray-600">{u.email}</span>
              </th>
              <td className={CELL}>
                <Badge tone={ROLE_TONE[u.role]}>{u.role}</Badge>
              </td>
              <td className={CELL}>{u.clientName ?? <span className="text-gray-600">All clients</span>}</td>
              <td className={`${CELL} whitespace-nowrap tabular-nums`}>{formatTimestamp(u.createdAt)}</td>
              <td className={CELL}>
                {u.id === currentUserId ? (
                  <span className="text-gray-600">You</span>
                ) : (
                  <ConfirmAction
                    label="Delete"
                    accessibleLabel={`Delete ${u.email}`}
                    question={`Delete ${u.email}? They are signed out at once and cannot sign in again.`}
                    confirmLabel="Delete user"
                    onConfirm={() => remove(u)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
