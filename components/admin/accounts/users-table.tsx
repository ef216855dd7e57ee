"use client";

import { Fragment, useRef, useState } from "react";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { Badge, type Tone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ALERT } from "@/components/ui/message";
import type { ClientChoice, PublicUser } from "@/lib/accounts/users";
import { formatTimestamp } from "@/components/format/format";
import { CELL, TABLE, TBODY, THEAD, TableScroll } from "@/components/ui/table";
import { createResetLink, deleteUser, errorText, usersQuery } from "./account-api";
import { ConfirmAction } from "./confirm-action";
import { EditUserForm } from "./edit-user-form";
import { ResetLinkReveal } from "./reset-link-reveal";

const ROLE_TONE: Record<PublicUser["role"], Tone> = { admin: "blue", operator: "green", client: "gray" };

/** One row under the user's row: the editor, or the reset link just issued. */
type Open = { userId: string; panel: "edit" } | { userId: string; panel: "reset" };

/**
 * Every user with role and client. Each can be edited (role, client) and sent a password
 * reset link; anyone but yourself can be deleted.
 */
export function UsersTable({ currentUserId, clients }: { currentUserId: string | null; clients: ClientChoice[] }) {
  const queryClient = useQueryClient();
  const { data: users } = useSuspenseQuery(usersQuery());
  const [open, setOpen] = useState<Open | null>(null);
  const editButtons = useRef(new Map<string, HTMLButtonElement>());
  const reset = useMutation({
    mutationFn: (user: PublicUser) => createResetLink(user.id),
    onSuccess: (_, user) => setOpen({ userId: user.id, panel: "reset" }),
  });
  if (users.length === 0)
    return <EmptyState title="No users yet">Invite the first one with the form above.</EmptyState>;

  async function remove(user: PublicUser) {
    await deleteUser(user.id);
    await queryClient.invalidateQueries({ queryKey: usersQuery().queryKey });
  }
  /** Closes the panel under a row, and puts focus back on the button that opened it. */
  function close(userId: string) {
    setOpen(null);
    reset.reset();
    requestAnimationFrame(() => editButtons.current.get(userId)?.focus());
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
          {users.map((u) => {
            const isSelf = u.id === currentUserId;
            const panel = open?.userId === u.id ? open.panel : null;
            const resetFailed = reset.isError && reset.variables?.id === u.id;
            return (
              <Fragment key={u.id}>
                <tr data-testid={`user-row-${u.email}`}>
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
                    <div className="flex flex-wrap items-start gap-2">
                      <button
                        ref={(el) => {
                          if (el) editButtons.current.set(u.id, el);
                          else editButtons.current.delete(u.id);
                        }}
                        type="button"
                        className={buttonClass("secondary", "sm")}
                        aria-label={`Edit ${u.email}`}
                        aria-expanded={panel === "edit"}
                        onClick={() => setOpen(panel === "edit" ? null : { userId: u.id, panel: "edit" })}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className={buttonClass("secondary", "sm")}
                        aria-label={`Reset link for ${u.email}`}
                        disabled={reset.isPending && reset.variables?.id === u.id}
                        onClick={() => reset.mutate(u)}
                      >
                        {reset.isPending && reset.variables?.id === u.id ? "Issuing…" : "Reset link"}
                      </button>
                      {isSelf ? (
                        <span className="self-center text-gray-600">You</span>
                      ) : (
                        <ConfirmAction
                          label="Delete"
                          accessibleLabel={`Delete ${u.email}`}
                          question={`Delete ${u.email}? They are signed out at once and cannot sign in again.`}
                          confirmLabel="Delete user"
                          onConfirm={() => remove(u)}
                        />
                      )}
                    </div>
                    {resetFailed && (
                      <p role="alert" className={`mt-2 ${ALERT}`}>
                        No reset link: {errorText(reset.error)}
                      </p>
                    )}
                  </td>
                </tr>
                {panel && (
                  <tr>
                    <td colSpan={5} className={`${CELL} bg-gray-50`}>
                      {panel === "edit" ? (
                        <EditUserForm user={u} clients={clients} isSelf={isSelf} onClose={() => close(u.id)} />
                      ) : (
                        reset.data && <ResetLinkReveal link={reset.data} onDone={() => close(u.id)} />
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
